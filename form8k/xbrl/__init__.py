"""The Inline XBRL cover page: tagging in the templates, the extension taxonomy, reading back.

``taxonomy`` holds the facts (taxonomy years, concepts, members, exchange names), ``tagger``
tags facts where the templates show them, ``dts`` writes the extension schema and linkbases,
``readback`` checks the written document against the content, ``manifest`` lists the
submission's documents for upload.
"""
