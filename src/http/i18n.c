/*
 * i18n.c - messages the API shows to people, in zh-CN and en.
 *
 * Keys are stable identifiers; the console has its own copies for its
 * labels. Every key has both languages (a unit test checks the table).
 */
#include "http/http.h"
#include "base/str.h"

#include <string.h>

struct msg {
    const char *key, *zh, *en;
};

static const struct msg msgs[] = {
    /* generic errors */
    {"ok", "成功", "OK"},
    {"invalid", "请求无效", "The request is invalid"},
    {"not_found", "未找到", "Not found"},
    {"conflict", "与现有数据冲突", "Conflicts with existing data"},
    {"unauthorized", "请先登录", "Please sign in"},
    {"forbidden", "没有权限执行此操作", "You do not have permission for this action"},
    {"too_large", "请求体过大", "The request body is too large"},
    {"unsupported_media_type", "不支持的内容类型", "Unsupported content type"},
    {"rate_limited", "请求过于频繁，请稍后再试", "Too many requests; try again later"},
    {"locked", "账号已被临时锁定，请稍后再试",
     "The account is locked for a while; try again later"},
    {"busy", "系统繁忙，请稍后重试", "The system is busy; please retry"},
    {"io", "服务器内部错误", "Internal server error"},
    {"internal", "服务器内部错误", "Internal server error"},
    {"headers_too_large", "请求头过大", "The request headers are too large"},
    {"method_not_allowed", "不支持该请求方法", "Method not allowed"},
    {"bad_json", "请求体不是有效的 JSON", "The body is not valid JSON"},
    {"bad_query", "查询参数无效", "The query string is invalid"},
    {"csrf_failed", "安全校验失败，请刷新页面后重试",
     "Security check failed; reload the page and retry"},
    {"origin_mismatch", "请求来源不被允许", "Request origin not allowed"},
    {"validation_failed", "提交的内容有误，请检查标注的字段", "Please correct the marked fields"},
    {"body_not_object", "请求体必须是 JSON 对象", "The body must be a JSON object"},
    {"session_expired", "会话已过期，请重新登录", "Your session has expired; please sign in again"},
    /* field messages */
    {"required", "必填", "Required"},
    {"unknown_field", "不允许提交该字段", "This field is not accepted"},
    {"must_be_string", "应为文本", "Must be text"},
    {"must_be_integer", "应为整数", "Must be an integer"},
    {"must_be_boolean", "应为是/否", "Must be true or false"},
    {"must_be_object", "应为对象", "Must be an object"},
    {"must_be_array", "应为列表", "Must be a list"},
    {"too_long", "内容过长", "Too long"},
    {"control_chars", "包含不允许的控制字符", "Contains control characters"},
    {"not_a_choice", "不是允许的选项", "Not one of the allowed choices"},
    {"bad_date", "日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"},
    {"page_range", "页码应为 1 及以上的整数", "Page must be a whole number from 1"},
    {"page_size_range", "每页条数应为 1 到 100", "Page size must be 1 to 100"},
    {"bad_sort", "不支持的排序字段", "Unsupported sort field"},
    {"bad_filter", "筛选条件无效", "Invalid filter"},
    /* accounts */
    {"login_failed", "用户名或密码错误", "Wrong user name or password"},
    {"password_length", "密码长度应为 8 到 128 个字符", "Passwords have 8 to 128 characters"},
    {"password_common", "密码过于常见，请换一个", "This password is too common; choose another"},
    {"password_same_as_user", "密码不能与用户名相同",
     "The password must differ from the user name"},
    {"password_wrong", "当前密码不正确", "The current password is wrong"},
    {"username_format", "用户名应为 3 到 32 位字母、数字、下划线、点或连字符",
     "User names have 3 to 32 letters, digits, '_', '.' or '-'"},
    {"username_taken", "用户名已存在", "This user name is taken"},
    {"role_needs_unit", "该角色必须属于一个成员单位", "This role must belong to a member unit"},
    {"role_no_unit", "该角色不属于成员单位", "This role does not belong to a unit"},
    {"unit_missing", "成员单位不存在", "No such member unit"},
    {"cannot_disable_self", "不能停用自己的账号", "You cannot disable your own account"},
    /* directory */
    {"uscc_invalid", "统一社会信用代码无效（应为 18 位且校验位正确）",
     "Invalid unified social credit code (18 characters with a correct check character)"},
    {"uscc_taken", "该统一社会信用代码已被其他单位使用",
     "Another unit already has this credit code"},
    {"name_taken", "单位名称已存在", "A unit with this name already exists"},
    {"city_invalid", "城市代码无效（应为 GB/T 2260 地级市代码）",
     "Invalid city code (a GB/T 2260 prefecture-level code)"},
    {"mobile_invalid", "手机号码无效", "Invalid mobile number"},
    {"id_number_invalid", "身份证号无效", "Invalid identity card number"},
    {"email_invalid", "电子邮箱格式不正确", "Invalid e-mail address"},
    {"url_invalid", "网址应以 http:// 或 https:// 开头",
     "Web addresses start with http:// or https://"},
    {"application_pending", "该单位已有待审核的入盟申请",
     "This organisation already has a pending application"},
    {"application_reviewed", "该申请已审核", "This application has already been reviewed"},
    {"already_member", "该单位已是联盟成员", "This organisation is already a member"},
    {"reason_required", "驳回时必须填写理由", "A reason is required to reject"},
    {"csv_bad", "CSV 文件无法解析", "The CSV file cannot be read"},
    {"csv_header", "CSV 表头不正确", "The CSV header is wrong"},
    {"csv_rows_invalid", "CSV 中有错误的行，未导入任何数据",
     "Some CSV rows are invalid; nothing was imported"},
    {"unit_has_users", "该单位仍有用户账号，无法删除", "The unit still has user accounts"},
    {"bad_format", "不支持的导出格式", "Unsupported export format"},
    /* governance */
    {"datetime_invalid", "时间格式应为 YYYY-MM-DD HH:MM", "Times are written YYYY-MM-DD HH:MM"},
    {"ends_before_start", "结束时间不能早于开始时间", "The end cannot come before the start"},
    {"status_step", "会议状态只能依次变为进行中、已结束",
     "A meeting goes from planned to open to closed"},
    {"unit_or_person", "请选择一个单位或一位人员", "Choose one unit or one person"},
    {"person_missing", "人员不存在或不属于该单位", "No such person in this unit"},
    {"already_invited", "已邀请该单位或人员", "Already invited"},
    {"attendee_voted", "该参会方已投票，不能更改", "This attendee has voted; it cannot change"},
    {"holds_proxies", "该参会方持有其他单位的委托，请先撤销委托",
     "This attendee holds proxies; withdraw them first"},
    {"meeting_closed", "会议已结束", "The meeting is closed"},
    {"votes_open", "仍有议案在表决中，请先结束表决", "A vote is still open; close it first"},
    {"checkin_code_wrong", "签到码不正确", "Wrong check-in code"},
    {"proxy_self", "不能委托给自己", "An attendee cannot hold its own proxy"},
    {"proxy_unknown", "受托方不是本次会议有表决权的参会方",
     "The proxy holder is not a voting attendee of this meeting"},
    {"proxy_absent", "受托方尚未签到", "The proxy holder has not checked in"},
    {"proxy_chain", "受托方自身已委托他人，不能再接受委托",
     "The proxy holder has itself given its vote away"},
    {"proxy_too_many", "受托方接受的委托已达章程规定上限",
     "The proxy holder already holds as many proxies as the charter allows"},
    {"no_current_term", "该机构尚无当届组成", "This body has no current term"},
    {"rule_unknown", "表决规则不存在", "No such vote rule"},
    {"rule_invalid", "比例无效（分子大于 0 且不大于分母，分母不超过 1000；“超过全部”不成立）",
     "Invalid fraction (0 < numerator <= denominator <= 1000; \"more than all\" cannot be met)"},
    {"charter_draft_required", "请选择一份章程草案", "Choose a draft charter version"},
    {"term_required", "请选择届次", "Choose a term"},
    {"secret_not_changeable", "无记名投票不能允许改票", "A secret ballot cannot be changeable"},
    {"not_draft", "只有草稿状态可以修改", "Only drafts can be changed"},
    {"kind_fixed", "议案类型创建后不能修改", "A motion's kind cannot change"},
    {"position_body", "该职务不属于此机构", "This position does not belong to this body"},
    {"not_election", "只有选举议案有候选人", "Only election motions have candidates"},
    {"meeting_not_open", "会议尚未开始，不能开始表决", "The meeting is not open for voting"},
    {"no_candidates", "选举议案还没有候选人", "The election motion has no candidates"},
    {"out_of_range", "数值超出允许范围", "Out of range"},
    {"motion_not_open", "该议案当前不在表决中", "This motion is not open for voting"},
    {"may_not_vote", "您无权代表该参会方投票（须为其代表或受托方，且已签到）",
     "You may not vote for this attendee (its representative or proxy holder, checked in)"},
    {"already_voted", "已投过票", "Already voted"},
    {"ballot_items", "请对每位候选人各投一票", "Vote once on each candidate"},
    {"motion_not_closed", "请先结束表决再确认结果", "Close the vote before certifying"},
    {"version_missing", "章程版本不存在", "No such charter version"},
    {"version_in_motion", "该版本已提交议案，不能删除", "This version is in a motion"},
    {"charter_too_long", "章程过长，无法比较", "The charter is too long to compare"},
    {"term_exists", "该届次已存在", "This term already exists"},
    {"appointment_ended", "该任职已结束", "This appointment has already ended"},
    /* news */
    {"too_many_tags", "标签最多 10 个", "At most 10 tags"},
    {"tag_invalid", "标签应为 1 到 20 个字符", "Tags have 1 to 20 characters"},
    {"role_invalid", "角色不存在", "No such role"},
    {"article_locked", "当前状态下不能修改该文章", "The article cannot be changed in this state"},
    {"article_state", "文章当前状态不允许此操作", "Not possible in the article's current state"},
    {"no_confirmation", "该文章不需要回执", "This article asks for no confirmation"},
    {"image_required", "请上传 PNG、JPEG、GIF 或 WebP 图片", "Upload a PNG, JPEG, GIF or WebP image"},
    {"import_type", "只能导入 .txt、.md 或 .html 文件", "Only .txt, .md and .html files can be imported"},
    {"import_empty", "文件中没有可导入的内容", "The file holds nothing to import"},
    {"import_encoding", "文件不是 UTF-8 编码的文本", "The file is not UTF-8 text"},
    /* placement */
    {"placement.already_activated", "该学生已激活账号", "This student's account is already active"},
    {"placement.already_applied", "你已申请过该岗位", "You have already applied to this position"},
    {"placement.already_placed", "你已在此前的轮次中接受录取", "You accepted an offer in an earlier round"},
    {"placement.answer_closed", "现在不能答复录取结果（轮次未发布或已过答复期限）",
     "Offers cannot be answered now (not published, or past the deadline)"},
    {"placement.application_state", "申请当前状态不允许此操作", "Not possible in the application's current state"},
    {"placement.bad_code", "激活码无效或已使用", "The activation code is wrong or already used"},
    {"placement.deadline_passed", "志愿填报已截止", "The deadline for choices has passed"},
    {"placement.duplicate_choice", "志愿重复", "This position is chosen twice"},
    {"placement.duplicate_item", "重复的条目", "Listed twice"},
    {"placement.duplicate_row", "文件中学号重复", "This student number appears twice in the file"},
    {"placement.in_other_round", "你已在另一个未结束的轮次中填报志愿", "You have choices in another round that is not closed"},
    {"placement.list_item", "列表项应为 1 到规定长度的文字，且不超过规定个数",
     "Each item must be text within the length limit, and not too many items"},
    {"placement.no_offer", "没有待答复的录取", "There is no offer to answer"},
    {"placement.no_profile", "你的账号没有关联学生档案", "Your account has no student profile"},
    {"placement.not_applicant", "该学生没有填报这个岗位", "This student did not choose this position"},
    {"placement.not_in_round", "该岗位不在本轮次中", "This position is not in the round"},
    {"placement.pay_range", "最高薪酬不能低于最低薪酬", "The highest pay is below the lowest"},
    {"placement.position_locked", "当前状态下不能修改这些内容", "These fields cannot be changed in the position's state"},
    {"placement.position_not_published", "岗位不存在或未发布", "No such published position"},
    {"placement.position_state", "岗位当前状态不允许此操作", "Not possible in the position's current state"},
    {"placement.round_empty", "请先为轮次添加岗位", "Add positions to the round first"},
    {"placement.round_state", "轮次当前状态不允许此操作", "Not possible in the round's current state"},
    {"placement.rule_is_score", "该岗位按评分规则排序，不能手工排序", "This position ranks by its score rule, not by hand"},
    {"placement.student_in_use", "该学生已有账号、志愿、申请或录取记录，不能删除",
     "The student has an account, choices, applications or results and cannot be deleted"},
    {"placement.student_no_taken", "本校已有该学号", "This student number is already used in the school"},
    {"placement.too_many_choices", "志愿数超过本轮上限", "More choices than the round allows"},
    {"placement.unknown_student", "本校没有该学号的学生", "No student with this number in the school"},
    {"placement.wrong_unit_kind", "本单位类型不能进行此操作（岗位属于企业或科研院所，学生属于学校）",
     "Your unit's kind cannot do this (positions belong to enterprises or institutes, students to schools)"},
    /* files */
    {"file_type_refused", "不支持的文件类型（可上传 PDF、图片、Word、Excel、PowerPoint 或纯文本）",
     "This kind of file is not accepted (PDF, images, Word, Excel, PowerPoint or plain text)"},
    {"file_name_invalid", "文件名无效（1 到 100 个字符，不含 / 和控制字符）",
     "Invalid file name (1 to 100 characters, no / and no control characters)"},
};

enum http_lang i18n_pick(const char *al, size_t len)
{
    /* The first language tag decides; zh-CN is the default. */
    size_t i = 0;
    while (i < len && (al[i] == ' ' || al[i] == '\t'))
        i++;
    if (len - i >= 2 && (al[i] == 'e' || al[i] == 'E') && (al[i + 1] == 'n' || al[i + 1] == 'N'))
        return LANG_EN;
    return LANG_ZH;
}

static const struct msg *lookup(const char *key)
{
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
        if (strcmp(msgs[i].key, key) == 0)
            return &msgs[i];
    return NULL;
}

bool i18n_has(const char *key)
{
    return lookup(key) != NULL;
}

const char *i18n_text(enum http_lang lang, const char *key)
{
    const struct msg *m = lookup(key);
    if (m == NULL)
        return key;
    return lang == LANG_EN ? m->en : m->zh;
}
