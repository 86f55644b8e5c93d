"""A read-only preview of the table so far, rendered as a Rich table of plain strings."""

from __future__ import annotations

from rich.table import Table as RichTable
from rich.text import Text
from textual.widgets import Static

from ...model import Table
from ...values import format_number
from ..text import plain


class TablePreview(Static, can_focus=False):
    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)

    def show(self, table: Table) -> None:
        p, f = table.project, table.funding
        head = RichTable.grid(padding=(0, 1))
        head.add_column(style="bold", no_wrap=True)
        head.add_column()
        for label, value in (
            ("项目名称", p.name),
            ("年度", str(p.year or "")),
            ("主管部门", f"{p.department} {p.department_code}".strip()),
            ("实施单位", p.implementing_unit),
            ("项目属性", p.attribute),
            ("项目期", p.period),
            ("资金(万元)", f"总额 {format_number(f.total)}，财政 {format_number(f.fiscal)}，其他 {format_number(f.other)}"),
            ("总体目标", p.goal),
        ):
            head.add_row(Text(label), Text(plain(value)))
        rows = RichTable(show_lines=False, expand=True, pad_edge=False, box=None, header_style="bold")
        rows.add_column("二级", no_wrap=True, ratio=2)
        rows.add_column("三级指标", ratio=4)
        rows.add_column("指标值", ratio=2)
        last = None
        for ind in table.indicators:
            level2 = "" if ind.level2 == last else ind.level2.removesuffix("指标")
            rows.add_row(Text(plain(level2)), Text(plain(ind.name)), Text(plain(ind.value)))
            last = ind.level2
        group = RichTable.grid()
        group.add_row(head)
        group.add_row(Text(""))
        group.add_row(rows)
        self.update(group)
