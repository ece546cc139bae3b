/**
 * `npm run bench -- chapter03`: encode and decode throughput of the chapter's Protocol Buffers
 * and Avro codecs (solutions/) against protobufjs and avsc, on the same records, in one run.
 * Goal: at least half of the reference libraries' throughput.
 */

import { performance } from 'node:perf_hooks';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { decodeAvro, encodeAvro } from '../solutions/chapter03-encoding/avro-binary.js';
import { parseAvroSchema, type AvroSchemaJson, type AvroValue } from '../solutions/chapter03-encoding/avro-schema.js';
import { decodeProto, encodeProto } from '../solutions/chapter03-encoding/protobuf.js';
import { protoMessage, type ProtoMessage } from '../solutions/chapter03-encoding/protobuf-schema.js';

interface Result {
  readonly name: string;
  readonly opsPerSec: number;
}

function report(label: string, ours: Result, theirs: Result, ratio: number): void {
  const fmt = (r: Result) => `${(r.opsPerSec / 1e6).toFixed(2)} M ops/s`;
  console.log(
    `${label.padEnd(34)} ours ${fmt(ours).padStart(14)}   ${theirs.name.padEnd(10)} ${fmt(theirs).padStart(14)}   ratio ${ratio.toFixed(2)}x ${ratio >= 0.5 ? 'ok' : 'BELOW GOAL (0.5x)'}`,
  );
}

/** Operations per second of `fn` over about `ms` milliseconds. */
function timeFor(fn: () => unknown, ms: number): number {
  let sink: unknown;
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) sink = fn();
    ops += 500;
    now = performance.now();
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return (ops * 1000) / (now - start);
}

/**
 * Times ours and theirs in alternating rounds and reports the median of each, and the median of
 * the per-round ratios: the machine may be busy with other work, and pairing the rounds spreads
 * that noise over both sides fairly.
 */
function compare(label: string, ours: () => unknown, theirName: string, theirs: () => unknown): void {
  timeFor(ours, 100);
  timeFor(theirs, 100);
  const oursRuns: number[] = [];
  const theirRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < 9; round++) {
    const a = timeFor(ours, 80);
    const b = timeFor(theirs, 80);
    oursRuns.push(a);
    theirRuns.push(b);
    ratios.push(a / b);
  }
  report(label, { name: 'ours', opsPerSec: median(oursRuns) }, { name: theirName, opsPerSec: median(theirRuns) }, median(ratios));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1]!;
}

// ---------------------------------------------------------------- Protocol Buffers

const Person = protoMessage('Person', [
  { name: 'userName', tag: 1, type: 'string' },
  { name: 'favoriteNumber', tag: 2, type: 'int64' },
  { name: 'interests', tag: 3, type: 'string', repeated: true },
]);
const Order = protoMessage('Order', [
  { name: 'id', tag: 1, type: 'uint64' },
  { name: 'customer', tag: 2, type: Person },
  { name: 'amounts', tag: 3, type: 'sint32', repeated: true, packed: true },
  { name: 'price', tag: 4, type: 'double' },
  { name: 'note', tag: 5, type: 'string' },
  { name: 'paid', tag: 6, type: 'bool' },
]);

const root = new protobuf.Root();
const pbPerson = new protobuf.Type('Person')
  .add(new protobuf.Field('userName', 1, 'string'))
  .add(new protobuf.Field('favoriteNumber', 2, 'int64'))
  .add(new protobuf.Field('interests', 3, 'string', 'repeated'));
const pbOrder = new protobuf.Type('Order')
  .add(new protobuf.Field('id', 1, 'uint64'))
  .add(new protobuf.Field('customer', 2, 'Person'))
  .add(new protobuf.Field('amounts', 3, 'sint32', 'repeated', undefined, { packed: true }))
  .add(new protobuf.Field('price', 4, 'double'))
  .add(new protobuf.Field('note', 5, 'string'))
  .add(new protobuf.Field('paid', 6, 'bool'));
root.add(pbPerson).add(pbOrder);

const martin: ProtoMessage = { userName: 'Martin', favoriteNumber: 1337, interests: ['daydreaming', 'hacking'] };
const order: ProtoMessage = {
  id: 123456789,
  customer: martin,
  amounts: [1, -2, 300, -40000, 5, 6, 7, 8],
  price: 19.99,
  note: 'please leave the parcel at the door, thank you',
  paid: true,
};

console.log('Protocol Buffers (ours vs protobufjs 8)');
for (const [label, ours, theirs, value] of [
  ['Person (33 bytes)', Person, pbPerson, martin],
  ['Order (nested, packed)', Order, pbOrder, order],
] as const) {
  const theirMessage = theirs.fromObject(value as Record<string, unknown>);
  const bytes = encodeProto(ours, value);
  const theirBytes = theirs.encode(theirMessage).finish();
  compare(`${label} encode`, () => encodeProto(ours, value), 'protobufjs', () => theirs.encode(theirMessage).finish());
  compare(`${label} decode`, () => decodeProto(ours, bytes), 'protobufjs', () => theirs.decode(theirBytes));
}

// ---------------------------------------------------------------- Avro

const personAvro: AvroSchemaJson = {
  type: 'record',
  name: 'Person',
  fields: [
    { name: 'userName', type: 'string' },
    { name: 'favoriteNumber', type: ['null', 'long'], default: null },
    { name: 'interests', type: { type: 'array', items: 'string' } },
  ],
};
const orderAvro: AvroSchemaJson = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'customer', type: personAvro },
    { name: 'amounts', type: { type: 'array', items: 'int' } },
    { name: 'price', type: 'double' },
    { name: 'note', type: 'string' },
    { name: 'paid', type: 'boolean' },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
  ],
};
const avroOrder = { ...order, status: 'PAID' };

console.log('\nAvro (ours vs avsc 5)');
for (const [label, json, value] of [
  ['Person (32 bytes)', personAvro, martin],
  ['Order (nested, enum)', orderAvro, avroOrder],
] as const) {
  const ours = parseAvroSchema(json);
  const theirs = avro.Type.forSchema(json as unknown as avro.Schema);
  const bytes = encodeAvro(ours, value as AvroValue);
  const theirBytes = theirs.toBuffer(value);
  compare(`${label} encode`, () => encodeAvro(ours, value as AvroValue), 'avsc', () => theirs.toBuffer(value));
  compare(`${label} decode`, () => decodeAvro(ours, bytes), 'avsc', () => theirs.fromBuffer(theirBytes));
}
