"""The yearly plan as documents: the poverty analysis, the targets table, the plan document (builders) and
their renderers (HTML, CSV, XLSX, DOCX, PDF)."""
