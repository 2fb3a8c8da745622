"""Validation limits, stated once."""

ITEM_TEXT_MAX = 2000
CASE_LABEL_MAX = 60
PERSON_NAME_MAX = 60  # someone around the child: initials, a first name or a role
PEOPLE_PER_CASE_MAX = 60
DISPLAY_NAME_MAX = 40
OP_ID_MAX = 64
PAYLOAD_MAX_BYTES = 8 * 1024
SYNC_EVENTS_MAX = 500  # beyond this gap, sync answers with a snapshot
PASSWORD_MIN = 15  # NIST SP 800-63B, without MFA
PASSWORD_MIN_WITH_MFA = 8
PASSWORD_MAX = 128
INVITE_HOURS = 24
