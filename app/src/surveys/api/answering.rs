//! Server functions of answering (being written).
