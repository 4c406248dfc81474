"""Inputs for the reader tests: builders for PDFs and Office files, and a few committed files
made with LibreOffice (``report.doc``, ``report.xls``) because CI may lack ``soffice``."""
