/**
 * Vocabulary shared by the bot and the simulator: fixed-point scales that turn Binance's decimal
 * strings into tick and step counts, and instruments that carry each symbol's filters in those
 * units. Nothing here knows about actors, the wire format or strategy.
 */
package io.phoenix.core;
