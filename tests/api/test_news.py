"""News (docs/news.md): the review workflow, audiences, sanitised bodies,
uploads checked by content, read confirmations, import, feeds, Open Graph
tags and view counts."""
import os
import re
import struct
import tempfile
import time
import urllib.parse
import unittest
import xml.etree.ElementTree as ET
import zlib

from harness import start_server

S = None
WEB = None


def setUpModule():
    global S, WEB
    WEB = tempfile.mkdtemp(prefix="jilian-web-")
    with open(os.path.join(WEB, "index.html"), "w", encoding="utf-8") as f:
        f.write("<!doctype html><html><head><title>技联</title></head><body></body></html>")
    S = start_server(JILIAN_WEB_ROOT=WEB)


def tearDownModule():
    S.close()


def ok(r, status=200):
    assert r.status == status, "%s: %r" % (r.status, r.data)
    return r.data


def png(w=64, h=40):
    raw = b"".join(b"\x00" + bytes((x * 5 + y) % 256 for x in range(w * 3)) for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def upload(client, article, name, data, role="attachment"):
    return client.request("POST", "/api/v1/articles/%d/files?name=%s&role=%s" % (article, name, role),
                          raw=data, content_type="application/octet-stream")


class News(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sec = S.login("secretariat")
        cls.ua = S.login("unitadmin")
        cls.unit = cls.ua.get("/api/v1/me").data["user"]["unit_id"]

    def article(self, client=None, **body):
        b = {"kind": "news", "title": "测试文章%d" % time.monotonic_ns(), "summary": "摘要",
             "body": "# 标题\n\n正文。"}
        b.update(body)
        return ok((client or self.sec).post("/api/v1/articles", b), 201)

    def test_workflow_submit_return_publish(self):
        a = self.article(self.ua, tags=["校企合作", "测试"], title="校企合作签约仪式举行")
        self.assertEqual((a["status"], a["author_unit_id"]), ("draft", self.unit))
        r = self.ua.post("/api/v1/articles", {"kind": "news", "title": "x", "unit_id": 2})
        self.assertIn("unit_id", r.data["error"]["fields"])
        # Invisible to the public and to other units while a draft.
        self.assertEqual(S.client().get("/api/v1/articles/%d" % a["id"]).status, 404)
        self.assertEqual(S.login("recruiter").get("/api/v1/articles/%d" % a["id"]).status, 404)
        ok(self.ua.post("/api/v1/articles/%d/submit" % a["id"]))
        self.assertEqual(self.ua.patch("/api/v1/articles/%d" % a["id"], {"title": "改"}).status, 409)
        queue = ok(self.sec.get("/api/v1/articles?status=submitted&page_size=100"))["items"]
        self.assertIn(a["id"], [x["id"] for x in queue])
        r = self.sec.post("/api/v1/articles/%d/return" % a["id"], {"comment": ""})
        self.assertIn("comment", r.data["error"]["fields"])
        ok(self.sec.post("/api/v1/articles/%d/return" % a["id"], {"comment": "请补充签约单位名称"}))
        mine = ok(self.ua.get("/api/v1/articles/%d" % a["id"]))
        self.assertEqual((mine["status"], mine["review_comment"]), ("returned", "请补充签约单位名称"))
        ok(self.ua.patch("/api/v1/articles/%d" % a["id"], {"body": "# 标题\n\n与河钢集团有限公司签约。"}))
        ok(self.ua.post("/api/v1/articles/%d/submit" % a["id"]))
        p = ok(self.sec.post("/api/v1/articles/%d/publish" % a["id"], {}))
        self.assertEqual((p["status"], p["revision"]), ("published", 1))
        public = ok(S.client().get("/api/v1/articles/%d" % a["id"]))
        self.assertIn("与河钢集团有限公司签约", public["body_html"])
        self.assertNotIn("review_comment", public)
        listed = ok(S.client().get("/api/v1/articles?tag=校企合作&page_size=100"))["items"]
        self.assertIn(a["id"], [x["id"] for x in listed])
        # An edit of the published text is a new revision; withdrawal keeps it.
        ok(self.sec.patch("/api/v1/articles/%d" % a["id"], {"summary": "新摘要"}))
        revs = ok(self.sec.get("/api/v1/articles/%d/revisions" % a["id"]))["items"]
        self.assertEqual([v["revision"] for v in revs], [2, 1])
        ok(self.sec.post("/api/v1/articles/%d/withdraw" % a["id"], {}))
        self.assertEqual(S.client().get("/api/v1/articles/%d" % a["id"]).status, 404)
        self.assertEqual(ok(self.sec.get("/api/v1/articles/%d" % a["id"]))["status"], "withdrawn")

    def test_audiences(self):
        n = time.monotonic_ns() % 100000
        members = self.article(kind="notice", audience="members", title="会员通知%d" % n)
        units = self.article(kind="notice", audience="units", audience_units=[self.unit],
                             title="单位通知%d" % n)
        roles = self.article(kind="policy", audience="roles", audience_roles=["expert"],
                             title="专家须知%d" % n)
        for a in (members, units, roles):
            ok(self.sec.post("/api/v1/articles/%d/publish" % a["id"], {}))
        cases = {members["id"]: {"anon": 404, "teacher": 200, "recruiter": 200},
                 units["id"]: {"anon": 404, "unitadmin": 200, "teacher": 200, "recruiter": 404,
                               "secretariat": 200},
                 roles["id"]: {"anon": 404, "expert": 200, "teacher": 404, "secretariat": 200}}
        for aid, want in cases.items():
            for who, status in want.items():
                c = S.client() if who == "anon" else S.login(who)
                with self.subTest(article=aid, who=who):
                    self.assertEqual(c.get("/api/v1/articles/%d" % aid).status, status)
                    listed = [x["id"] for x in ok(c.get("/api/v1/articles?page_size=100"))["items"]]
                    self.assertEqual(aid in listed, status == 200)
                    # Search finds it exactly when it may be read (its title
                    # typed as is: characters, then digits).
                    title = {members["id"]: members, units["id"]: units, roles["id"]: roles}[aid]["title"]
                    found = ok(c.get("/api/v1/search?type=article&q=" + urllib.parse.quote(title)))
                    self.assertEqual(aid in [x["id"] for x in found["items"]], status == 200)
                    self.assertEqual(found["total"], 1 if status == 200 else 0)
        bad = self.sec.post("/api/v1/articles", {"kind": "news", "title": "x",
                                                 "audience_roles": ["king"]})
        self.assertIn("audience_roles", bad.data["error"]["fields"])

    def test_bodies_are_sanitised(self):
        body = ("# t\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
                "[a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) [c](vbscript:x) "
                "![d](javascript:alert(5)) <iframe src=https://evil.example></iframe>\n\n"
                "<a href=\"javascript:alert(6)\" onclick=\"x()\">e</a> [ok](https://example.org)")
        a = self.article(body=body)
        html = ok(self.sec.get("/api/v1/articles/%d" % a["id"]))["body_html"].lower()
        for bad in ("<script", "onerror", "javascript:", "vbscript:", "<iframe", "onclick", "<img src=x"):
            self.assertNotIn(bad, html)
        self.assertIn('href="https://example.org"', html)

    def test_uploads(self):
        a = self.article(self.ua)
        r = upload(self.ua, a["id"], "封面.png", png(), "cover")
        self.assertEqual(r.status, 201, r.data)
        cover = r.data
        with open("/bin/true", "rb") as f:
            elf = f.read()
        for role in ("cover", "image", "attachment"):
            r = upload(self.ua, a["id"], "photo.png", elf, role)
            self.assertEqual(r.status, 400, role)
            self.assertIn("file", r.data["error"]["fields"])
        r = upload(self.ua, a["id"], "doc.pdf", b"%PDF-1.4\n" + b"x" * 100, "cover")
        self.assertEqual(r.status, 400)
        note = upload(self.ua, a["id"], "说明.txt", "附件说明\n".encode())
        self.assertEqual(note.status, 201, note.data)
        got = ok(self.ua.get("/api/v1/articles/%d" % a["id"]))
        self.assertEqual(got["cover_url"], cover["url"])
        self.assertEqual(len(got["attachments"]), 2)
        img = self.ua.get(cover["url"])
        self.assertEqual((img.status, img.headers["content-type"]), (200, "image/png"))
        self.assertNotIn("content-disposition", img.headers)  # inline
        self.assertEqual(img.data, png())
        thumb = self.ua.get(cover["url"] + "?thumb=1")
        self.assertTrue(thumb.data.startswith(b"\x89PNG"))
        txt = self.ua.get(note.data["url"])
        self.assertTrue(txt.headers["content-disposition"].startswith("attachment"))
        # Not readable by others while the article is a draft.
        self.assertEqual(S.client().get(cover["url"]).status, 404)

    def test_read_confirmations(self):
        n = self.article(kind="notice", audience="members", needs_confirm=True, title="回执通知")
        ok(self.sec.post("/api/v1/articles/%d/publish" % n["id"], {}))
        st = ok(self.sec.get("/api/v1/articles/%d/confirmations" % n["id"]))
        self.assertIn(self.unit, [p["unit_id"] for p in st["pending"]])
        self.assertEqual(st["confirmed"], [])
        ok(self.ua.post("/api/v1/articles/%d/confirm" % n["id"]))
        ok(self.ua.post("/api/v1/articles/%d/confirm" % n["id"]))  # once; again is harmless
        st = ok(self.sec.get("/api/v1/articles/%d/confirmations" % n["id"]))
        self.assertEqual([c["unit_id"] for c in st["confirmed"]], [self.unit])
        self.assertNotIn(self.unit, [p["unit_id"] for p in st["pending"]])
        self.assertTrue(ok(self.ua.get("/api/v1/articles/%d" % n["id"]))["confirmed"])
        plain = self.article(kind="news")
        ok(self.sec.post("/api/v1/articles/%d/publish" % plain["id"], {}))
        self.assertEqual(self.ua.post("/api/v1/articles/%d/confirm" % plain["id"]).status, 409)
        self.assertEqual(S.login("teacher").post("/api/v1/articles/%d/confirm" % n["id"]).status,
                         403)

    def test_import(self):
        html = ("<html><head><title>聯(lián)盟舉辦技能大賽</title><script>evil()</script></head>"
                "<body><h1>聯(lián)盟舉辦技能大賽</h1><p>本次大賽(2026)共有<b>三百名</b>選手參加。</p>"
                "<ul><li>數控車</li><li>電工</li></ul><a href='javascript:x()'>壞鏈接</a></body></html>")
        url = "/api/v1/articles/import?name=%s&kind=news"
        r = self.sec.request("POST", url % "a.html" + "&dry_run=true", raw=html.encode(),
                             content_type="application/octet-stream")
        d = ok(r)
        self.assertEqual(d["title"], "聯盟舉辦技能大賽")
        self.assertNotIn("evil", d["body"])
        self.assertNotIn("(lián)", d["body"])
        self.assertIn("(2026)", d["body"])
        self.assertNotIn("javascript", d["body"])
        self.assertIn("數控車", d["body"])
        r = self.sec.request("POST", url % "b.txt", raw="職業(zhí yè)技能等級認定工作啟動\n\n全文。".encode(),
                             content_type="application/octet-stream")
        a = ok(r, 201)
        self.assertEqual((a["status"], a["title"]), ("draft", "職業技能等級認定工作啟動"))
        r = self.sec.request("POST", url % "c.exe", raw=b"MZ", content_type="application/octet-stream")
        self.assertEqual(r.status, 400)
        r = self.sec.request("POST", url % "d.txt", raw=b"\xff\xfe\x00bad",
                             content_type="application/octet-stream")
        self.assertEqual(r.status, 400)
        self.assertEqual(self.ua.request("POST", url % "b.txt", raw=b"x",
                                         content_type="application/octet-stream").status, 403)

    def test_feed_and_open_graph(self):
        a = self.article(title="门户新闻 <联盟> & 技能", summary="分享用的摘要")
        ok(self.sec.post("/api/v1/articles/%d/publish" % a["id"], {}))
        hidden = self.article(kind="news", audience="members", title="内部新闻")
        ok(self.sec.post("/api/v1/articles/%d/publish" % hidden["id"], {}))
        r = S.client().get("/api/v1/feeds/news")
        self.assertTrue(r.headers["content-type"].startswith("application/atom+xml"))
        root = ET.fromstring(r.data)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
        self.assertIn("门户新闻 <联盟> & 技能", titles)
        self.assertNotIn("内部新闻", titles)
        page = S.client().request("GET", "/news/%d" % a["id"])
        self.assertEqual(page.status, 200)
        text = page.data.decode()
        self.assertIn('<meta property="og:title" content="门户新闻 &lt;联盟&gt; &amp; 技能">', text)
        self.assertIn('og:description" content="分享用的摘要"', text)
        self.assertEqual(text.count("</head>"), 1)
        plain = S.client().request("GET", "/news/%d" % hidden["id"]).data.decode()
        self.assertNotIn("og:title", plain)

    def test_zz_views_are_counted_and_kept(self):
        a = self.article()
        ok(self.sec.post("/api/v1/articles/%d/publish" % a["id"], {}))
        for _ in range(7):
            ok(S.client().get("/api/v1/articles/%d" % a["id"]))
        S.stop()  # each thread's pending counts are written as it ends
        S.start()
        # The answer shows what is stored; this read is counted in memory.
        self.assertEqual(ok(S.client().get("/api/v1/articles/%d" % a["id"]))["views"], 7)
        self.assertEqual(ok(S.client().get("/api/v1/articles/%d" % a["id"]))["views"], 8)


if __name__ == "__main__":
    unittest.main(verbosity=2)
