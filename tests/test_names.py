"""R9 order of names (按姓氏笔画为序)."""

from app.rules import name_order_key, sort_by_name, unknown_characters
from app.rules.names import normalize_name, strokes_of


def ordered(names):
    return sorted(names, key=name_order_key)


def test_yu_before_wan_equal_strokes_then_stroke_sequence():
    # 于 一一亅 and 万 一𠃌丿 both have 3 strokes; 于's second stroke 横 beats 万's 折.
    assert strokes_of("于") == "112" and strokes_of("万") == "153"
    assert ordered(["万", "于"]) == ["于", "万"]


def test_wang_mao_fang_kong_by_first_stroke():
    # Four strokes each, first strokes 横, 撇, 点, 折.
    assert ordered(["孔", "方", "毛", "王"]) == ["王", "毛", "方", "孔"]


def test_prefix_name_comes_first():
    assert ordered(["张三丰", "张三"]) == ["张三", "张三丰"]


def test_fewer_strokes_first_regardless_of_code_point():
    assert ordered(["王五", "丁一"]) == ["丁一", "王五"]  # 丁 has 2 strokes, 王 4


def test_second_character_decides_when_surnames_equal():
    assert ordered(["李四", "李二"]) == ["李二", "李四"]


def test_white_space_is_ignored_in_names():
    assert name_order_key("王 小明") == name_order_key("王\u3000小明") == name_order_key("王小明")
    assert normalize_name(" 王\u3000小 明 ") == "王小明"


def test_unknown_characters_sort_after_known_and_are_reported():
    rare = "𠈌"  # outside the stroke data
    assert strokes_of(rare) is None
    assert ordered([f"{rare}一", "鑫鑫"]) == ["鑫鑫", f"{rare}一"]
    assert unknown_characters(["王小明", f"李{rare}", f"赵{rare}"]) == {rare: [f"李{rare}", f"赵{rare}"]}


def test_sort_by_name_keeps_two_people_of_the_same_name_in_a_fixed_order():
    people = [("c2", "张伟", "财务部"), ("c1", "张伟", "办公室"), ("c3", "丁一", "")]
    result = sort_by_name(people, name=lambda p: p[1], tiebreak=lambda p: (p[2], p[0]))
    assert [p[0] for p in result] == ["c3", "c1", "c2"]


# R9 as amended (2026-12): surname, then fewer characters, then the rest character by character.
AMENDED_R9_PAIRS = [
    ("于", "万"),          # equal strokes, second stroke 横 before 折
    ("王", "毛"), ("毛", "方"), ("方", "孔"),  # first strokes 横 撇 点 折
    ("王强", "王小明"),    # same surname: the shorter name first
    ("王小明", "王丹丹"),  # same length: 小 (3) before 丹 (4)
    ("王强", "王丹丹"),
    ("张三", "张三丰"),
    ("李强", "李干杰"),    # 单名在前, although 干 has fewer strokes than 强
    ("刘瑶", "刘玉荣"),    # 单名在前, although 玉 has fewer strokes than 瑶
    ("丁薛祥", "王强"),    # the surname decides before the length
    ("欧文", "欧阳修"),    # RULES.md: the surname is the first character, so 欧 = 欧, then length
]


def test_amended_r9_table():
    for first, second in AMENDED_R9_PAIRS:
        assert name_order_key(first) < name_order_key(second), (first, second)
        assert ordered([second, first]) == [first, second]


def test_amended_r9_whole_list():
    names = ["王丹丹", "刘玉荣", "李干杰", "王小明", "张三丰", "刘瑶", "王强", "李强", "张三"]
    assert ordered(names) == ["王强", "王小明", "王丹丹", "刘瑶", "刘玉荣",
                              "李强", "李干杰", "张三", "张三丰"]


def test_characters_with_the_same_stroke_sequence_have_a_fixed_order():
    # 土 and 士 are both 一丨一: the rule does not order them; code point does, so the
    # order is total and the same everywhere.
    assert strokes_of("土") == strokes_of("士")
    assert name_order_key("土") != name_order_key("士")
    assert ordered(["王士", "王土"]) == ordered(["王土", "王士"])


def test_checked_corrections_to_the_stroke_data():
    # R9: the generated table miscounted 皙 and had wrong sequences for 德 and 锺.
    assert strokes_of("皙") == strokes_of("析") + strokes_of("白")
    assert len(strokes_of("德")) == 15 and strokes_of("德").startswith("33212")
    assert strokes_of("锺") == "31115" + strokes_of("重")
