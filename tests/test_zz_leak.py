import sys
from bridge import backends
def test_zz_after():
    try:
        backends.load("jvm").open_image("/tmp/f20473.dcm")
    except Exception as e:
        assert "NullPointer" in e.thrown, e.thrown
