package io.phoenix.core;

/**
 * Marker for messages that may cross cluster nodes; bound to jackson-cbor in reference.conf.
 * Local-only messages (hot-path events, actor refs to local children) do not implement it.
 */
public interface PhoenixSerializable {}
