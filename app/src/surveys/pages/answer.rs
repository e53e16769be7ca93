//! Answering pages (being written).
