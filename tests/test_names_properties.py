"""R9: the order of names is a total order, consistent with the key and with itself."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules import name_order_key, normalize_name, sort_by_name

# Mostly common characters with known strokes, some rare ones the data lacks, some spaces.
CHARS = st.sampled_from("王李张刘陈杨于万毛方孔丁强小明丹三丰干杰瑶玉荣土士己已欧阳𠈌𪚥 \u3000")
NAMES = st.text(CHARS, min_size=1, max_size=5).filter(lambda n: normalize_name(n))


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES)
def test_keys_equal_exactly_when_names_equal(a, b):
    assert (name_order_key(a) == name_order_key(b)) == (normalize_name(a) == normalize_name(b))


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES, NAMES)
def test_order_is_transitive_and_antisymmetric(a, b, c):
    ka, kb, kc = name_order_key(a), name_order_key(b), name_order_key(c)
    assert (ka < kb) + (kb < ka) + (ka == kb) == 1
    if ka <= kb and kb <= kc:
        assert ka <= kc


@settings(max_examples=200, deadline=None)
@given(st.lists(NAMES, max_size=12), st.randoms())
def test_sorting_does_not_depend_on_the_input_order(names, random):
    shuffled = list(names)
    random.shuffle(shuffled)
    first = [normalize_name(n) for n in sort_by_name(names, lambda n: n)]
    again = [normalize_name(n) for n in sort_by_name(shuffled, lambda n: n)]
    assert first == again


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES)
def test_surname_decides_before_length_and_length_before_the_rest(a, b):
    a, b = normalize_name(a), normalize_name(b)
    if a[0] != b[0]:
        assert (name_order_key(a) < name_order_key(b)) == (name_order_key(a[0]) < name_order_key(b[0]))
    elif len(a) != len(b):
        assert (name_order_key(a) < name_order_key(b)) == (len(a) < len(b))
