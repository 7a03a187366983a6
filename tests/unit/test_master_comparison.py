"""Who owns a field: the file's, the record's and the last import's value decide."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kundenbild.imports.master.comparison import OVERWRITE_ALL, compare

values = st.sampled_from(["", "a", "b", "c"])


def test_a_value_only_the_erp_changed_is_changed() -> None:
    result = compare({"name": "new"}, {"name": "old"}, {"name": "old"})
    assert [(c.field, c.old, c.new) for c in result.changes] == [("name", "old", "new")]
    assert result.conflicts == ()
    assert result.baseline == {"name": "new"}


def test_a_value_only_kundenbild_changed_stays() -> None:
    result = compare({"name": "erp"}, {"name": "ours"}, {"name": "erp"})
    assert (result.changes, result.conflicts) == ((), ())


def test_a_value_both_changed_is_a_conflict_that_keeps_kundenbilds() -> None:
    result = compare({"name": "erp2"}, {"name": "ours"}, {"name": "erp1"})
    assert result.changes == ()
    assert [(c.kundenbild, c.erp, c.overwritten) for c in result.conflicts] == [
        ("ours", "erp2", False)
    ]
    assert result.baseline == {"name": "erp2"}  # not reported again for the same export


def test_a_conflict_takes_the_erp_value_for_the_fields_named() -> None:
    for overwrite in (["name"], [OVERWRITE_ALL]):
        result = compare({"name": "erp2"}, {"name": "ours"}, {"name": "erp1"}, overwrite=overwrite)
        assert [(c.old, c.new) for c in result.changes] == [("ours", "erp2")]
        assert result.conflicts[0].overwritten


def test_without_a_baseline_an_empty_field_is_filled_and_a_filled_one_conflicts() -> None:
    filled = compare({"city": "Bremen"}, {"city": ""}, {})
    assert [(c.old, c.new) for c in filled.changes] == [("", "Bremen")]
    clash = compare({"city": "Bremen"}, {"city": "Hamburg"}, {})
    assert (clash.changes, [c.field for c in clash.conflicts]) == ((), ["city"])


def test_fields_the_file_does_not_bring_are_never_compared_and_keep_their_baseline() -> None:
    result = compare({"name": "a"}, {"name": "a", "notes": "x"}, {"notes": "y"})
    assert (result.changes, result.conflicts) == ((), ())
    assert result.baseline == {"notes": "y", "name": "a"}


@given(erp=values, ours=values, before=st.one_of(st.none(), values))
def test_each_field_is_changed_kept_or_in_conflict_never_two_of_them(
    erp: str, ours: str, before: str | None
) -> None:
    result = compare({"f": erp}, {"f": ours}, {} if before is None else {"f": before})
    changed, conflict = bool(result.changes), bool(result.conflicts)
    assert not (changed and conflict)
    if changed:  # the import writes the ERP's value only where Kundenbild had no other
        assert ours in ("", before)
        assert result.changes[0].new == erp
    if erp == ours:
        assert not changed
        assert not conflict
    assert result.baseline == {"f": erp}


@given(erp=values, ours=values, before=st.one_of(st.none(), values))
def test_importing_the_same_export_twice_changes_nothing_the_second_time(
    erp: str, ours: str, before: str | None
) -> None:
    first = compare({"f": erp}, {"f": ours}, {} if before is None else {"f": before})
    after = first.changes[0].new if first.changes else ours
    second = compare({"f": erp}, {"f": after}, first.baseline)
    assert (second.changes, second.conflicts) == ((), ())
