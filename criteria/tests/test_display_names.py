"""The one rule naming an indicator or criterion on every page, chart, brief and export."""

from criteria.models import Criterion, Indicator, indicators_display


def _indicator(code, name="", criterion_name="Môi trường và an toàn thực phẩm", number=17):
    return Indicator(code=code, name=name, criterion=Criterion(pk=number, number=number, name=criterion_name))


def test_an_indicator_without_its_official_name_is_shown_by_code_and_criterion_name():
    assert _indicator("17.7").display_name == "17.7 (Môi trường và an toàn thực phẩm)"
    # A name that is only the code again is no name either.
    assert _indicator("17.7", name=" 17.7 ").display_name == "17.7 (Môi trường và an toàn thực phẩm)"


def test_an_indicator_with_its_official_name_is_shown_by_that_name():
    name = "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý theo quy định"
    assert _indicator("17.3", name=name).display_name == name


def test_a_criterion_is_shown_with_its_number_and_name_never_as_tc_and_a_number():
    assert Criterion(number=13, name="Tổ chức sản xuất và phát triển kinh tế nông thôn").display_name == (
        "13. Tổ chức sản xuất và phát triển kinh tế nông thôn"
    )


def test_a_list_of_indicators_names_each_criterion_once_for_its_unnamed_indicators():
    planning = _indicator("1.1", criterion_name="Quy hoạch", number=1)
    named = _indicator("17.2", name="Tên chính thức (thử)")
    indicators = [planning, _indicator("17.4"), _indicator("17.7"), named, _indicator("17.8")]
    assert indicators_display(indicators) == (
        "1.1 (Quy hoạch), 17.4, 17.7 (Môi trường và an toàn thực phẩm), Tên chính thức (thử), "
        "17.8 (Môi trường và an toàn thực phẩm)"
    )
    assert indicators_display([]) == ""
