/**
 * Binance USD-M futures wire protocol and nothing else: REST signing and client ({@code rest}),
 * WebSocket frame codecs for market and user data ({@code ws}). Raw wire shapes stay here; the
 * rest of Phoenix sees normalized domain types in ticks and steps.
 */
package io.phoenix.binance;
