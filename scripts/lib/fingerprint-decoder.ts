/** The `fingerprint:decode` decoder as a tool the CLI shell runs; usage and output format: scripts/fingerprint-decode.ts. */
import { FingerprintError } from '../../core/errors/fingerprint-error.js';
import type { StationError } from '../../core/errors/station-error.js';
import { R30xPacketParser } from '../../native/fingerprint/packet-parser.js';
import { decodeSysParams, instructionName, pid, toHex, type R30xPacket } from '../../native/fingerprint/r30x-protocol.js';
import type { HexDecoderTool } from './hex-decode-cli.js';

type Json = Record<string, unknown>;

const usage = 'usage: npx tsx scripts/fingerprint-decode.ts <file.hex>';
const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
const kinds: Record<number, string> = { [pid.command]: 'command', [pid.ack]: 'ack', [pid.data]: 'data', [pid.endData]: 'end-data' };

function packetJson(packet: R30xPacket): Json {
  const length = packet.payload.length + 2;
  const out: Json = {
    kind: kinds[packet.pid] ?? 'unknown',
    address: packet.address.toString(16).toUpperCase().padStart(8, '0'),
    pid: hex2(packet.pid),
    length,
    payloadBytes: packet.payload.length,
  };
  const first = packet.payload[0] ?? 0;
  const rest = packet.payload.subarray(1);
  if (packet.pid === pid.command) {
    out.instruction = { code: hex2(first), name: instructionName(first) ?? 'unknown' };
    if (rest.length > 0) out.params = toHex(rest);
  } else if (packet.pid === pid.ack) {
    out.confirmation = hex2(first);
    // ReadSysPara's reply is the only acknowledge with exactly 16 result bytes.
    const sys = rest.length === 16 ? decodeSysParams(rest) : undefined;
    if (sys) out.sysParams = { ...sys, address: sys.address.toString(16).toUpperCase().padStart(8, '0') };
    else if (rest.length > 0) out.data = toHex(rest);
  } else {
    out.data = toHex(packet.payload.subarray(0, 64)) + (packet.payload.length > 64 ? '…' : '');
  }
  return out;
}

function decodeBytes(bytes: Uint8Array): Json {
  const parser = new R30xPacketParser();
  const items = [...parser.push(bytes)];
  const trailing = parser.pending;
  items.push(...parser.flush());
  const packets = items.flatMap((item) => (item.kind === 'packet' ? [item.packet] : []));
  const errors = items.flatMap((item) => (item.kind === 'error' ? [item.error] : []));
  if (packets.length === 0) throw errors[0] ?? new FingerprintError('bad-payload', 'no R30x packet in the input');
  return {
    input: {
      bytes: bytes.length,
      packets: packets.length,
      strayBytes: parser.discarded + trailing,
      ...(errors.length > 0 ? { parserErrors: errors.map((e) => ({ reason: e.reason, detail: e.detail })) } : {}),
    },
    packets: packets.map(packetJson),
  };
}

function errorJson(error: StationError): Json {
  return { error: { code: error.code, reason: error.reason ?? 'not-hex', message: error.userMessage, detail: error.detail } };
}

export const fingerprintDecoder: HexDecoderTool = { usage, decode: decodeBytes, errorJson };
