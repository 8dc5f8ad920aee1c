import re

import tsclf


def test_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", tsclf.__version__)
