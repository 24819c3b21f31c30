"""Evaluation: gold data in eventwire's own format and the field's formats, scoring, reports and the quality gate."""
