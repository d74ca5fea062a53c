/**
 * Counts the Cosmos DB reads and writes a unit of work made and the request units (RU) they cost, for logs and the
 * benchmarks' per-partner figures. (The domain's "usage" is customer consumption; this is the database's bill.)
 */
export class RequestCharges {
  reads = 0;
  writes = 0;
  requestCharge = 0;
  add(kind: 'read' | 'write', charge: number | undefined): void {
    if (kind === 'read') this.reads++;
    else this.writes++;
    this.requestCharge += charge ?? 0;
  }
}
