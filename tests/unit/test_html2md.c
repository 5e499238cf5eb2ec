/* test_html2md.c - cmocka tests for src/lib/text/html2md.c: each kept
 * construct, what is dropped, escaping, a realistic news page, malformed
 * and deeply nested HTML, and the size bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/str.h"
#include "lib/text/html2md.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Converts the C string html; the result must hold the output bound. */
static char *convert(const char *html, char **title)
{
    size_t n = strlen(html), len = 12345;
    char *md = text_html_to_markdown(html, n, title, &len);
    assert_non_null(md);
    assert_int_equal(len, strlen(md));
    assert_true(len <= 4 * n);
    return md;
}

static void check(const char *html, const char *want)
{
    char *md = convert(html, NULL);
    assert_string_equal(md, want);
    free(md);
}

/* True when s holds no '<' that could start raw HTML. */
static bool no_raw_html(const char *s)
{
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        char c = p[1];
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '/' || c == '!' || c == '?')
            return false;
    }
    return true;
}

static void test_headings(void **state)
{
    (void)state;
    check("<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>",
          "# A\n\n## B\n\n### C\n\n#### D\n\n##### E\n\n###### F");
    /* One line: breaks and blocks inside become spaces; '#' is escaped. */
    check("<h2> a <br> b <p>c</p></h2>", "## a b c");
    check("<h3>C# 语言 #1</h3>", "### C\\# 语言 \\#1");
    check("<h2></h2><h2> </h2>text", "text");
}

static void test_paragraphs(void **state)
{
    (void)state;
    check("<p>  a \n\t b  </p><p></p><p> </p><div>c</div>d", "a b\n\nc\n\nd");
    check("<div><div><p>x</p></div></div><section>y</section>", "x\n\ny");
    /* <br> is a hard break; two or more end the paragraph. */
    check("<p>x<br>y<br><br><br>z<br></p>", "x\\\ny\n\nz");
    check("<br><br>a", "a");
    check("<p>第一段</p>\n\n\n<p>第二段</p>", "第一段\n\n第二段");
}

static void test_lists(void **state)
{
    (void)state;
    check("<ul><li>a</li><li>b</li></ul>", "- a\n- b");
    check("<ol><li>a</li><li>b</li></ol><ol start=\"9\"><li>c</li><li>d</li></ol>",
          "1. a\n2. b\n\n9. c\n10. d");
    check("<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul><p>e</p>",
          "- a\n  - b\n    1. c\n\n- d\n\ne");
    /* A list numbered from other than 1 cannot start under an item's
     * text without a blank line. */
    check("<ul><li>a<ol start=3><li>b</li></ol></li></ul>", "- a\n\n  3. b");
    check("<ul><li></li><li> </li><li>x</li></ul>", "- x");
    check("<ol start=\"-5\"><li>x</li></ol><ol start=\"99999999999\"><li>y</li></ol>",
          "0. x\n\n999999999. y");
    check("<li>no list</li><li>around</li>", "no list\naround");
    check("<ul><li><p>p1</p><p>p2</p></li></ul>", "- p1\n\n  p2");
    check("<ul><li>a<br>b</li></ul>", "- a\\\n  b");
}

static void test_links(void **state)
{
    (void)state;
    check("<a href=\"https://a.cn/x\">A</a> <a href=\"HTTP://b.cn\">B</a> <a "
          "href=\"mailto:x@y.cn\">M</a>",
          "[A](https://a.cn/x) [B](HTTP://b.cn) [M](mailto:x@y.cn)");
    /* Other schemes, relative links and anchors are just their text. */
    check("<a href=\"javascript:alert(1)\">j</a> <a href=\" JaVa&#x09;Script:x\">k</a> "
          "<a href=\"data:text/html,x\">d</a> <a href=\"/rel\">r</a> <a href=\"#top\">t</a> "
          "<a href=\"vbscript:x\">v</a> <a>n</a>",
          "j k d r t v n");
    /* Destinations are escaped so they end where they should. */
    check("<a href=\" https://a.cn/p(1) q?x=1&amp;y=&quot;2&quot;\n\">x</a>",
          "[x](https://a.cn/p\\(1\\)%20q?x=1\\&y=%222%22)");
    /* Empty links vanish; links in links are text; text is escaped. */
    check("a<a href=\"https://x\"></a>b", "ab");
    check("<a href=\"https://x\">[t] *u*</a>", "[\\[t\\] \\*u\\*](https://x)");
    check("<a href=\"https://x\"> <b>bold</b> tail </a>!", "[**bold** tail](https://x) \\!");
    /* A link around blocks becomes one link per block. */
    check("<a href=\"https://x\"><p>one</p><p>two</p></a>", "[one](https://x)\n\n[two](https://x)");
    check("<a href=\"https://x\"><img src=\"/a.png\" alt=\"A\"></a>", "[![A](/a.png)](https://x)");
}

static void test_images(void **state)
{
    (void)state;
    check("<img src=\"https://a.cn/b.png\" alt=\"封面\">", "![封面](https://a.cn/b.png)");
    check("<img src=\"img/a b.png\" alt=\" [x]  y \">", "![\\[x\\] y](img/a%20b.png)");
    check("<img src=\"//cdn.cn/c.png\">", "![](//cdn.cn/c.png)");
    check("<p>a<img src=\"data:image/png;base64,AAAA\" alt=\"D\">b"
          "<img src=\"javascript:alert(1)\" alt=\"J\">c<img alt=\"none\">d<img src=\"\">e</p>",
          "abcde");
    /* Lazy-loading pages keep the real address in data-src. */
    check("<img src=\"data:image/gif;base64,R0\" data-src=\"https://m.cn/1.jpg\">",
          "![](https://m.cn/1.jpg)");
    check("<img data-src=\"javascript:x\">", "");
}

static void test_emphasis(void **state)
{
    (void)state;
    check("<b>b</b>, <strong>s</strong>, <i>i</i>, <em>e</em>", "**b**, **s**, *i*, *e*");
    check("<b>b</b> <b>s</b>", "**b s**"); /* merged across the space */
    check("x<b> y </b>z", "x **y** z");
    check("x<b></b>y<i> </i>z", "xy z");
    check("<b><i>bi</i></b> <i>a <b>b</b> c</i>", "***bi*** *a **b** c*");
    /* Inside a word a mark inside another could close it: left out. */
    check("<i>a<b>b</b>c</i>", "*abc*");
    check("<b>a</b><b>b</b>", "**ab**");
    check("中<b>文</b>字", "中**文**字");
    /* Where CommonMark would not read them, the marks move or go. */
    check("<b>重要通知：</b>内容", "**重要通知**：内容");
    check("<p><strong>一、总体要求</strong></p>", "**一、总体要求**");
    check("<p>在<b>“双高计划”</b>建设中</p>", "在“**双高计划**”建设中");
    check("中<b>“双高”</b>计划", "中“**双高**”计划");
    check("<b>！！</b>x", "！！x");
    check("<b>a(b)</b>c", "a(b)c");
    /* A mark never opens right after a closing run. */
    check("<b>x <i>y</i></b><i>z</i>", "**x *y***z");
    check("<b>x <i>y</i></b> <i>z</i>", "**x *y*** *z*");
    check("<b>x</b><i>y</i>", "**x**y");
}

static void test_quotes(void **state)
{
    (void)state;
    check("<blockquote>q</blockquote>", "> q");
    check("<blockquote><p>a</p><blockquote>b</blockquote><p>c</p></blockquote>d",
          "> a\n>\n> > b\n>\n> c\n\nd");
    check("<blockquote><ul><li>x</li><li>y</li></ul></blockquote>", "> - x\n> - y");
    check("<ul><li><blockquote>q</blockquote></li></ul>", "- > q");
}

static void test_code(void **state)
{
    (void)state;
    check("<pre>\nint a;\n  b &lt; c;\n\n</pre>", "```\nint a;\n  b < c;\n```");
    check("<pre>x ``` y</pre>", "````\nx ``` y\n````");
    check("<pre><b>bold</b> <a href=\"https://x\">l</a><br>next</pre>", "```\nbold l\nnext\n```");
    check("<p>run <code>a  b</code>, <code>`x`</code> <kbd>Ctrl</kbd><code></code>.</p>",
          "run `a b`, `` `x` `` `Ctrl`.");
    check("<p>see <code> x </code>now</p>", "see `x` now");
    /* In code, where escapes do not work, nothing may open a tag or a
     * link to a refused scheme. */
    check("<pre>&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- &lt;? a &lt; b</pre>",
          "```\n＜script>alert(1)＜/script> ＜!-- ＜? a < b\n```");
    check("<code>[x](javascript:y) [z](https://ok) [w]( &lt;vbscript:q)</code>",
          "`[x] (javascript:y) [z](https://ok) [w] ( ＜vbscript:q)`");
    /* Prefixes continue on every line of a block. */
    check("<blockquote><pre>a\n\nb</pre></blockquote>", "> ```\n> a\n> \n> b\n> ```");
    check("<ol><li><pre>a\nb</pre></li></ol>", "1. ```\n   a\n   b\n   ```");
    check("<h2>t <pre>p</pre></h2>", "## t `p`");
    check("<pre>   </pre><pre></pre>x", "x");
}

static void test_rules_and_tables(void **state)
{
    (void)state;
    check("a<hr>b<hr/>", "a\n\n***\n\nb\n\n***");
    check("<ul><li><hr>x</li></ul>", "- ***\n\n  x"); /* "- ---" would be one rule */
    check("<table><caption>表</caption><tr><th>名称</th><th>数量</th></tr>"
          "<tr><td>甲</td><td></td><td><b>3</b></td></tr>"
          "<tr><td><p>x</p><p>y</p></td><td><ul><li>z</li></ul><br>w</td></tr></table>",
          "表\n\n名称 | 数量\n\n甲 | | **3**\n\nx y | z w");
    check("<table><tr><td><table><tr><td>a</td><td>b</td></tr></table></td><td>c</td></tr></table>",
          "a | b | c");
}

static void test_dropped(void **state)
{
    (void)state;
    check("<head><meta charset=utf-8><style>p{}</style><script>var x;</script>"
          "<link rel=x href=y></head><body>"
          "<script>alert(1)</script><style>.x{}</style><noscript>ns</noscript>"
          "<template><p>tp</p></template><iframe src=\"https://x\">if</iframe>"
          "<object data=\"x\">ob</object><embed src=\"x\"><applet>ap</applet>"
          "<p onclick=\"evil()\" style=\"color:red\">kept<!-- comment --></p></body>",
          "kept");
    check("<p>聯<rp>(</rp><rt>lián</rt><rp>)</rp>盟<ruby>教<rt>jiào</rt></ruby></p>", "聯盟教");
    /* SVG and MathML: text only (an SVG link is not a link). */
    check("<svg><title>t</title><a "
          "href=\"https://x\">s</a><script>x</script></svg><math><mi>m</mi></math>",
          "sm");
    check("<form><input value=v><select><option>o1<option>o2</select><button>b</button>"
          "<textarea>ta</textarea></form>",
          "o1o2bta");
}

static void test_title(void **state)
{
    (void)state;
    char *title;
    char *md = convert("<html><head><title> 联盟\n新闻 &amp; 动态 </title></head>"
                       "<body><h1>标题</h1></body></html>",
                       &title);
    assert_string_equal(title, "联盟 新闻 & 动态");
    assert_string_equal(md, "# 标题");
    free(title);
    free(md);
    /* No title, or a blank one: the first h1's text. */
    md = convert(
        "<title> </title><h2>x</h2><h1> 第一 <b>标题</b><script>s</script></h1><h1>第二</h1>",
        &title);
    assert_string_equal(title, "第一 标题");
    free(title);
    free(md);
    md = convert("<p>nothing</p>", &title);
    assert_null(title);
    free(md);
    md = convert("<title>only</title>", &title);
    assert_string_equal(title, "only");
    assert_string_equal(md, "");
    free(title);
    free(md);
    /* A title in the body counts; an SVG title does not. */
    md = convert("<svg><title>svg</title></svg><p>x</p><title>late</title>", &title);
    assert_string_equal(title, "late");
    free(title);
    free(md);
}

static void test_escaping(void **state)
{
    (void)state;
    check("<p># h</p><p>&gt; q</p><p>- d</p><p>+ p</p><p>* s</p><p>= e</p><p>---</p>",
          "\\# h\n\n\\> q\n\n\\- d\n\n\\+ p\n\n\\* s\n\n\\= e\n\n\\---");
    check("<p>2023. 年</p><p>12) x</p><p>1.5 万</p><p>3.</p>",
          "2023\\. 年\n\n12\\) x\n\n1.5 万\n\n3\\.");
    check("<p>a_b*c`d\\e[f]g!h~i</p>", "a\\_b\\*c\\`d\\\\e\\[f\\]g\\!h\\~i");
    check("<p>[链接](javascript:alert(1)) ![x](y)</p>",
          "\\[链接\\](javascript:alert(1)) \\!\\[x\\](y)");
    check("<p>&lt;script&gt;alert(1)&lt;/script&gt; a &lt; b</p>",
          "&lt;script>alert(1)&lt;/script> a &lt; b");
    check("<p>&amp;lt; &amp;#60; AT&amp;T &amp; x</p>", "\\&lt; \\&#60; AT\\&T & x");
    check("<p>x<br>#y<br>-z<br>1. w</p>", "x\\\n\\#y\\\n\\-z\\\n1\\. w");
    check("<p>中 # 文 - 字 + 1. 2</p>", "中 # 文 - 字 + 1. 2");
}

static void test_entities(void **state)
{
    (void)state;
    check("<p>&amp; &#x4E2D;&#20013; &copy; a&nbsp;&nbsp;b &nbsp;</p>", "& 中中 © a b");
    check("<p>&#0;x&#x1;y&#127;z</p>", "\xef\xbf\xbdxyz");
    check("<p>\xff\xfe ok</p>", "\xef\xbf\xbd\xef\xbf\xbd ok");
    /* gumbo writes a lone byte for a reference out of range: replaced too. */
    char *title;
    char *md =
        convert("<title>&#xeeeeeeeeee;t</title><p>&#xeeeeeeeeee;</p><pre>&#xeeeeeeeeee;</pre>"
                "<a href=\"https://x/&#xeeeeeeeeee;\">l</a>",
                &title);
    assert_true(utf8_valid(md, strlen(md)) && utf8_valid(title, strlen(title)));
    free(md);
    free(title);
}

static void test_news_page(void **state)
{
    (void)state;
    const char *page =
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<title>全国职业教育联盟成立大会召开 - 联盟新闻</title>"
        "<script src=\"/js/app.js\"></script><script>window.track('pv');</script>"
        "<link rel=\"stylesheet\" href=\"/c.css\"></head>\n"
        "<body onload=\"init()\"><div class=\"nav\"><a href=\"/\">首页</a> &gt; "
        "<a href=\"/news\">新闻</a></div>\n<div class=\"article\">"
        "<h1>全国职业教育联盟成立大会召开</h1>\n"
        "<p class=\"meta\">来源：联盟秘书处&nbsp;&nbsp;2024-03-15</p>\n"
        "<p><img src=\"https://news.example.cn/img/2024/0315.jpg\" alt=\"大会现场\" "
        "onerror=\"alert(1)\"></p>\n"
        "<p>　　3月15日，<strong>全国职业教育联盟</strong>成立大会在北京召开。"
        "来自全国的<em>120余家</em>院校和企业代表参加会议。</p>\n"
        "<p>详见<a href=\"https://www.example.cn/doc/1.pdf\" target=\"_blank\">会议纪要</a>，"
        "<a href=\"javascript:void(0)\" onclick=\"share()\">分享</a>。</p>\n"
        "<h2>会议议程</h2><ol><li>审议章程</li><li>选举理事会</li></ol>\n"
        "<script>document.write('<p>ad</p>');</script>"
        "<p class=\"footer\">责任编辑：张三</p></div></body></html>";
    char *title;
    char *md = convert(page, &title);
    assert_string_equal(title, "全国职业教育联盟成立大会召开 - 联盟新闻");
    assert_string_equal(md, "首页 > 新闻\n\n"
                            "# 全国职业教育联盟成立大会召开\n\n"
                            "来源：联盟秘书处 2024-03-15\n\n"
                            "![大会现场](https://news.example.cn/img/2024/0315.jpg)\n\n"
                            "　　3月15日，**全国职业教育联盟**成立大会在北京召开。"
                            "来自全国的*120余家*院校和企业代表参加会议。\n\n"
                            "详见[会议纪要](https://www.example.cn/doc/1.pdf)，分享。\n\n"
                            "## 会议议程\n\n1. 审议章程\n2. 选举理事会\n\n"
                            "责任编辑：张三");
    assert_null(strstr(md, "javascript"));
    assert_null(strstr(md, "onclick"));
    assert_null(strstr(md, "track"));
    assert_null(strstr(md, "ad"));
    assert_true(no_raw_html(md));
    free(title);
    free(md);
}

static void test_malformed(void **state)
{
    (void)state;
    check("<div><p>unclosed<p>second<div>x</div></div></div></span></p>",
          "unclosed\n\nsecond\n\nx");
    check("<b>bold <i>both</b> ital</i>", "**bold *both*** *ital*");
    check("<ul><li>one<li>two</ul><table><tr><td>c1<td>c2</table><p>end",
          "- one\n- two\n\nc1 | c2\n\nend");
    check("<a href=\"https://a\">x<a href=\"https://b\">y</a></a>", "[x](https://a)[y](https://b)");
    check("<p>a <b", "a");
    check("<p>a <!-- open comment", "a");
    check("</div></p></b>text</i>", "text");
    check("<script>never closed <p>x</p>", "");
    check("<<<a>x", "&lt;&lt;x");
}

/* Repeats unit count times, then tail. */
static char *nest(const char *unit, size_t count, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * count + t + 1);
    assert_non_null(s);
    for (size_t i = 0; i < count; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * count, tail, t + 1);
    return s;
}

static void test_deep_nesting(void **state)
{
    (void)state;
    static const struct {
        const char *unit, *want;
    } cases[] = {
        {"<div>", "deep"},
        {"<b>", "**deep**"},
        {"<div><b>", "**deep**"},
        {"<blockquote>", "> > > > > > > > > > > > > > > > deep"},
        {"<ul><li>", "- - - - - - - - - - - - - - - - deep"},
        {"<table><tr><td>", "deep"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *html = nest(cases[i].unit, 10000, "deep");
        check(html, cases[i].want);
        free(html);
    }
    /* At the 4 MiB limit: no stack overflow, and the depth guard keeps the
     * parser's quadratic cost in check (seconds, not hours). */
    char *html = nest("<ul><li>", (TEXT_HTML_MAX_INPUT - 4) / 8, "deep");
    clock_t t = clock();
    check(html, "- - - - - - - - - - - - - - - - deep");
    assert_true((double)(clock() - t) / CLOCKS_PER_SEC < 20.0);
    free(html);
}

static void test_limits(void **state)
{
    (void)state;
    char *title = (char *)1;
    size_t len = 7;
    char *md = text_html_to_markdown("", 0, &title, &len);
    assert_string_equal(md, "");
    assert_int_equal(len, 0);
    assert_null(title);
    free(md);
    md = text_html_to_markdown(NULL, 0, NULL, NULL);
    assert_string_equal(md, "");
    free(md);
    check("   \n ", "");
    check("<!-- only a comment -->", "");
    assert_null(text_html_to_markdown(NULL, 1, &title, &len));
    assert_null(title);
    /* Only n bytes are read. */
    md = text_html_to_markdown("<p>abc</p>", 4, NULL, &len);
    assert_string_equal(md, "a");
    free(md);
    /* Over the limit: refused. */
    char *big = nest("x", TEXT_HTML_MAX_INPUT + 1, "");
    assert_null(text_html_to_markdown(big, TEXT_HTML_MAX_INPUT + 1, &title, &len));
    assert_null(title);
    /* At the limit: fine. */
    md = text_html_to_markdown(big, TEXT_HTML_MAX_INPUT, NULL, &len);
    assert_int_equal(len, TEXT_HTML_MAX_INPUT);
    free(md);
    free(big);
}

static void test_output_bound(void **state)
{
    (void)state;
    char *md;
    /* The output stays within 4 times the input even when every byte
     * expands (it is cut at a whole piece when it would not). */
    check("<", "&lt;");
    check("<<<<", "&lt;&lt;&lt;&lt;");
    char *html = nest("<ol start=999999999>", 15, "");
    char *items = nest("<li>x", 20000, "");
    char *both = malloc(strlen(html) + strlen(items) + 1);
    strcpy(both, html);
    strcat(both, items);
    md = convert(both, NULL);
    assert_true(strlen(md) > 0);
    assert_true(no_raw_html(md));
    free(md);
    free(both);
    free(items);
    /* Cut at many places, among them inside links' destinations and
     * emphasis marks: never in the middle of a character. */
    for (size_t k = 1; k < 120; k++) {
        items = nest(k % 2 ? "<li><a href=\"https://x.cn/中文\">中文</a>"
                           : "<li><a href=\"https://x.cn/\">x.<b>y</b></a>",
                     k, "");
        both = malloc(strlen(html) + strlen(items) + 1);
        strcpy(both, html);
        strcat(both, items);
        md = convert(both, NULL);
        assert_true(utf8_valid(md, strlen(md)));
        free(md);
        free(both);
        free(items);
    }
    free(html);
    /* Found by fuzz_html2md: the output filled up while an emphasis mark
     * was written; the mark, not written, was still taken out later. */
    static const char cut[] = "<a href=\"http:\0\x02\xfe\0\xc0\xfd\xff\0>\0\x80\0\xff\xff\">"
                              "\xbf<i><li>_<li>\xbf\n<li>><li>\xbf";
    size_t len;
    md = text_html_to_markdown(cut, sizeof(cut) - 1, NULL, &len);
    assert_true(len <= 4 * (sizeof(cut) - 1) && utf8_valid(md, len));
    free(md);
}

static void test_no_raw_html(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "&lt;script&gt;x&lt;/script&gt;",
        "<pre>&lt;img src=x onerror=y&gt;</pre>",
        "<code>&lt;/code&gt;&lt;!--&lt;?php</code>",
        "<p>&lt;<b>a</b></p>",
        "<p>&lt;</p><p>a</p>",
        "<pre>&lt;\na</pre>",
        "<code>&lt; a &lt;&lt;b</code>",
        "<a href=\"https://x/&lt;b&gt;\">&lt;i&gt;</a>",
        "<img src=\"/&lt;s&gt;\" alt=\"&lt;t&gt;\">",
        "<p>&lt;<a href=\"https://x\">y</a></p>",
        "<pre>&lt;<b>s</b>&gt;</pre>",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        char *md = convert(inputs[i], NULL);
        assert_true(no_raw_html(md));
        free(md);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_images),
        cmocka_unit_test(test_emphasis),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_rules_and_tables),
        cmocka_unit_test(test_dropped),
        cmocka_unit_test(test_title),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_news_page),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_output_bound),
        cmocka_unit_test(test_no_raw_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
