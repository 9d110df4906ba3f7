package io.phoenix.market;

/** Why a local book stopped being trustworthy; each one triggers a resync. */
public enum InvalidReason {
  /** Not synchronised yet: no snapshot has been applied since start or the last invalidation. */
  NOT_SYNCED,
  /** An event's {@code pu} did not equal the previous event's {@code u}. */
  SEQUENCE_GAP,
  /** The first event after the snapshot starts after the snapshot's {@code lastUpdateId}. */
  SNAPSHOT_TOO_OLD,
  /** Best bid at or above best ask after an update or in a snapshot. */
  CROSSED_BOOK,
  /** The snapshot request failed or its body could not be decoded. */
  SNAPSHOT_FAILED,
  /** The WebSocket connection was lost; events may have been missed. */
  DISCONNECTED,
  /** A diff frame for this symbol could not be decoded, so a change may be missing. */
  DECODE_ERROR
}
