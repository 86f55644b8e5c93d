"""jixiao: a terminal assistant for 部门项目支出预算绩效目标表."""

__version__ = "0.1.0"
