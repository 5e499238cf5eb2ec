"""The built binary carries the hardening SECURITY.md F3 asks for: PIE,
full RELRO, a non-executable stack, the stack protector and FORTIFY_SOURCE
(read with readelf from binutils)."""
import os
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("JILIAN_BIN") or os.path.join(REPO, "build", "jilian")


def readelf(*flags):
    return subprocess.run(["readelf", "-W", *flags, BIN], capture_output=True, text=True,
                          check=True).stdout


class Hardening(unittest.TestCase):
    def test_pie(self):
        self.assertIn("DYN (Position-Independent Executable file)", readelf("-h"))
        self.assertIn("PIE", readelf("-d"))

    def test_full_relro(self):
        self.assertIn("GNU_RELRO", readelf("-l"))
        dyn = readelf("-d")
        self.assertTrue("BIND_NOW" in dyn or "NOW" in dyn.split("FLAGS_1")[-1], dyn)

    def test_nx_stack(self):
        stack = [l for l in readelf("-l").splitlines() if "GNU_STACK" in l]
        self.assertEqual(len(stack), 1)
        self.assertNotIn("E", stack[0].split()[-2])  # flags RW, not RWE

    def test_stack_protector(self):
        self.assertIn("__stack_chk_fail", readelf("--dyn-syms"))

    def test_fortify(self):
        syms = readelf("--dyn-syms")
        self.assertTrue(any(s in syms for s in ("__memcpy_chk", "__snprintf_chk",
                                                 "__vsnprintf_chk", "__sprintf_chk")), syms[:500])


if __name__ == "__main__":
    unittest.main()
