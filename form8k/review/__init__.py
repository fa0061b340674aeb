"""Review before filing: blacklines between versions (``compare``), draft marks on proofs
(``draft``) and Word drafts brought in as Markdown (``docx``).

Nothing here is part of a submission: blacklines are written beside the build's output in a
folder of their own, draft marks go on the PDFs only (and make the output refuse to be
packaged), and an imported draft is content like any other.

- ``blocks``: a rendered document read back as blocks (paragraphs, table rows, list items),
  each a run of word tokens that remember their elements and the cover fact they show.
- ``diff``: two documents' blocks aligned (moved paragraphs found) and compared word by word.
- ``blackline``: the comparison as HTML that keeps the document's look, with the marks.
- ``compare``: what ``form8k compare`` does: each side found (git revisions, folders, an 8-K/A
  and the filing it amends) and built with form8k's own pipeline, then the blackline of every
  document written as HTML and PDF, a summary page first.
- ``draft``: the "DRAFT" mark on every page of a draft build's PDFs, and its record in the
  manifest that ``package`` and ``submit`` check.
- ``docx``: a Word document as Markdown with front matter, and the report of what it lost.
- ``cli``: ``register(cli_group)`` adds ``compare`` and ``import`` to form8k's commands.
"""
