"""Documents, below every stage: the document model (`model`), the one escape (`escape`), the
writers (`markdown`, `html`, `docx`), the Markdown reader (`read_markdown`) and the report's
ledger (`ledger`).

A drafted section, the gate's reviewer's report and the report are all blocks of this model,
written by these writers, so no stage renders a format of its own.
"""
