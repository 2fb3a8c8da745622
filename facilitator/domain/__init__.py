"""The practice's rules as pure Python: no Flask, SQLAlchemy or Socket.IO here."""
