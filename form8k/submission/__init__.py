"""From a built filing to EDGAR: the submission envelope and EDGAR's filing API.

- ``envelope``: the EDGARLink Online XML envelope (``edgarSubmission``) of a built filing, its
  header from the same model as the documents, every document of the manifest base64-encoded,
  checked against the envelope's schema;
- ``secrets``: the API tokens and CCCs, from the environment or a secrets file outside the
  repository only, never shown; the tokens' expiry;
- ``client``: a small client of EDGAR's submission API (submit, then poll the status until a
  final state), on httpx2;
- ``cli``: the ``package`` and ``submit`` commands (``register(cli_group)`` adds them).
"""
