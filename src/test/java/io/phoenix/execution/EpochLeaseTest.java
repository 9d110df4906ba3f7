package io.phoenix.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochLeaseTest {
  @Test
  void newOrdersGoOnlyWhileTheLeaseHolds() {
    EpochLease lease = EpochLease.of(3, 1_000);
    assertTrue(lease.allowsNewOrders(999));
    assertNull(lease.refusal(999));
    assertFalse(lease.allowsNewOrders(1_000));
    assertTrue(lease.refusal(1_000).contains("lease expired"));
    lease.renew(2_000);
    assertTrue(lease.allowsNewOrders(1_500));
    // a late answer to an older read never shortens it
    lease.renew(1_200);
    assertTrue(lease.allowsNewOrders(1_500));
  }

  @Test
  void supersededIsForGoodAndOnlyByANewerEpoch() {
    EpochLease lease = EpochLease.of(3, Long.MAX_VALUE);
    lease.supersede(2);
    lease.supersede(3);
    assertEquals(0, lease.supersededBy());
    lease.supersede(5);
    lease.supersede(4);
    assertEquals(5, lease.supersededBy());
    lease.renew(Long.MAX_VALUE);
    assertFalse(lease.allowsNewOrders(0));
    assertEquals("epoch 3 superseded by epoch 5", lease.refusal(0));
  }

  @Test
  void nanoTimeWrapsAreHandled() {
    EpochLease lease = EpochLease.of(1, Long.MIN_VALUE + 10);
    assertTrue(lease.allowsNewOrders(Long.MAX_VALUE - 10));
    assertFalse(lease.allowsNewOrders(Long.MIN_VALUE + 10));
  }

  @Test
  void epochsAreBounded() {
    assertThrows(IllegalArgumentException.class, () -> EpochLease.of(0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> EpochLease.of(ClientOrderIds.MAX_EPOCH + 1, 0));
    assertTrue(EpochLease.UNFENCED.allowsNewOrders(System.nanoTime()));
  }
}
