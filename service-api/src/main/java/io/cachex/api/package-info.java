/**
 * The vertx-cachex contract: {@link io.cachex.api.CachexService} and its facets, the options and
 * results they carry, and the stable error codes. The service-proxy generator turns this package
 * into the event-bus proxy and handler; the JSON it puts on the bus is the bridge protocol
 * (docs/PROTOCOL.md).
 */
@ModuleGen(name = "cachex", groupPackage = "io.cachex")
package io.cachex.api;

import io.vertx.codegen.annotations.ModuleGen;
