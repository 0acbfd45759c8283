"""The demo: a synthetic regency and demo users, served on 127.0.0.1 (``sejahtera demo``)."""
