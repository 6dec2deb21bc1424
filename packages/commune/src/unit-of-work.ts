/**
 * Tables with an undo log. `evolve` reuses the state it is given (replaying a
 * million events cannot copy maps per event); a unit of work records how to
 * undo each write, so a command whose events break an invariant is rolled
 * back and leaves the state exactly as it was (venture-commune.md §3).
 *
 * Records stored in a table are never mutated in place: a change replaces the
 * record, which is what makes the undo log complete.
 */

export class UnitOfWork {
  #undo: Array<() => void> | null = null;

  get active(): boolean {
    return this.#undo !== null;
  }

  begin(): void {
    if (this.#undo !== null) throw new Error('a unit of work is already open');
    this.#undo = [];
  }

  record(undo: () => void): void {
    this.#undo?.push(undo);
  }

  /** A savepoint inside the open unit of work. */
  mark(): number {
    if (this.#undo === null) throw new Error('no unit of work is open');
    return this.#undo.length;
  }

  /** Undo everything recorded since the savepoint; the unit of work stays open. */
  rollbackTo(mark: number): void {
    const undo = this.#undo;
    if (undo === null) throw new Error('no unit of work is open');
    for (let i = undo.length - 1; i >= mark; i -= 1) undo[i]!();
    undo.length = mark;
  }

  commit(): void {
    this.#undo = null;
  }

  rollback(): void {
    const undo = this.#undo;
    this.#undo = null;
    if (undo === null) return;
    for (let i = undo.length - 1; i >= 0; i -= 1) undo[i]!();
  }
}

export class Table<V> {
  readonly #map = new Map<string, V>();

  constructor(private readonly uow: UnitOfWork) {}

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  set(key: string, value: V): void {
    const map = this.#map;
    if (this.uow.active) {
      if (map.has(key)) {
        const previous = map.get(key) as V;
        this.uow.record(() => map.set(key, previous));
      } else {
        this.uow.record(() => map.delete(key));
      }
    }
    map.set(key, value);
  }

  delete(key: string): void {
    const map = this.#map;
    if (!map.has(key)) return;
    if (this.uow.active) {
      const previous = map.get(key) as V;
      this.uow.record(() => map.set(key, previous));
    }
    map.delete(key);
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  entries(): IterableIterator<[string, V]> {
    return this.#map.entries();
  }
}

export class AppendList<V> {
  readonly #items: V[] = [];

  constructor(private readonly uow: UnitOfWork) {}

  get length(): number {
    return this.#items.length;
  }

  push(value: V): void {
    const items = this.#items;
    if (this.uow.active) {
      const length = items.length;
      this.uow.record(() => {
        items.length = length;
      });
    }
    items.push(value);
  }

  at(index: number): V | undefined {
    return this.#items[index];
  }

  items(): readonly V[] {
    return this.#items;
  }
}

/** A single record slot (the commune's meta data) with undo. */
export class Cell<V> {
  #value: V;

  constructor(
    private readonly uow: UnitOfWork,
    initial: V,
  ) {
    this.#value = initial;
  }

  get value(): V {
    return this.#value;
  }

  set(value: V): void {
    if (this.uow.active) {
      const previous = this.#value;
      this.uow.record(() => {
        this.#value = previous;
      });
    }
    this.#value = value;
  }
}
