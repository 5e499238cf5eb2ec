"""The project's region table (data/regions.csv) against the published
reference copy in ../shared/data/regions (NBS 2023 codes, GB/T 2260)."""
import csv
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OURS = os.path.join(REPO, "data", "regions.csv")
REF = os.path.join(os.path.dirname(REPO), "shared", "data", "regions")
MUNICIPALITIES = {"11", "12", "31", "50"}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Regions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = {r["code"]: r for r in read(OURS)}

    def test_shape(self):
        for code, r in self.rows.items():
            self.assertRegex(code, r"^\d{6}$")
            self.assertIn(r["level"], ("province", "city", "county"))
            if r["level"] == "province":
                self.assertEqual(r["parent"], "")
                self.assertTrue(code.endswith("0000"))
            else:
                self.assertIn(r["parent"], self.rows, code)
                parent = self.rows[r["parent"]]["level"]
                self.assertEqual(parent, "province" if r["level"] == "city" else "city", code)

    @unittest.skipUnless(os.path.isdir(REF), "reference data not beside the repository")
    def test_matches_reference(self):
        for p in read(os.path.join(REF, "provinces.csv")):
            self.assertEqual(self.rows[p["code"] + "0000"]["name"], p["name"])
        for c in read(os.path.join(REF, "cities.csv")):
            ours = self.rows[c["code"] + "00"]
            self.assertEqual(ours["level"], "city")
            self.assertEqual(ours["parent"], c["provinceCode"] + "0000")
            if c["provinceCode"] not in MUNICIPALITIES:
                self.assertEqual(ours["name"], c["name"])
        for a in read(os.path.join(REF, "areas.csv")):
            self.assertIn(a["code"], self.rows)
        # Hebei, the alliance's home: 11 prefecture-level cities.
        hebei = [r for r in self.rows.values() if r["parent"] == "130000"]
        self.assertEqual(len(hebei), 11)


if __name__ == "__main__":
    unittest.main()
