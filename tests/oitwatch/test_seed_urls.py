import pytest

from oitwatch._urls import SeedError, normalize_seed


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("www.abc.go.th", "http://www.abc.go.th"),
        ("  https://abc.go.th/  ", "https://abc.go.th/"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/"),
        ("http://localhost:5000", "http://localhost:5000"),
    ],
)
def test_accepts_what_monitors_type(raw: str, url: str) -> None:
    assert normalize_seed(raw) == url


@pytest.mark.parametrize("raw", ["", "ftp://abc.go.th", "http://", "abc", "http://a b.go.th",
                                 "http://abc.go.th:0", "http://abc.go.th:70000", "javascript:alert(1)"])
def test_rejects_with_the_url_named(raw: str) -> None:
    with pytest.raises(SeedError) as info:
        normalize_seed(raw)
    assert repr(raw) in info.value.en and repr(raw) in info.value.th
