"""The operation kernel: how one `op` from a client changes a board.

One module per step, in the order an operation takes them (docs/architecture.md follows
`add_item` through them):

  parse.py      the envelope, then the payload by its op type's parser (domain, no database)
  authorize.py  the sender's own meeting, live, still theirs to change (its revision claimed)
  apply.py      one operation inside its batch's transaction: parse, authorize, the handler
  record.py     the revision, the event and its MeetingEvent row (the one place both are
                built), and the answer to a retry
  types.py      every op type, one line each: its name, its parser and its handler
  rows.py       what the handlers read: the meeting and item rows as plain values

The transaction around a batch of them is services/board.py (one commit per batch); the
socket handler is realtime/handlers.py `on_op`; publishing is realtime/publisher.py.
"""
