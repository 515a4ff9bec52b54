/* giamngheo field app: the phone's storage (IndexedDB). Stores: "meta" (the assignment's description, the
   last sync), "households" (the assignment, by entry id) and "outbox" (surveys, by idempotency key). Every
   write is one IndexedDB transaction, so a closed tab or a restarted phone keeps what was saved. */
(function (root) {
  "use strict";
  const NAME = "giamngheo-field";
  const STORES = ["meta", "households", "outbox"];
  let opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("meta", { keyPath: "key" });
        db.createObjectStore("households", { keyPath: "entry_id" });
        const outbox = db.createObjectStore("outbox", { keyPath: "key" });
        outbox.createIndex("entry", "entry_id");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opening;
  }

  function done(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  function result(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function get(store, key) {
    const db = await open();
    return result(db.transaction(store).objectStore(store).get(key));
  }

  async function all(store) {
    const db = await open();
    return result(db.transaction(store).objectStore(store).getAll());
  }

  async function count(store) {
    const db = await open();
    return result(db.transaction(store).objectStore(store).count());
  }

  async function put(store, ...values) {
    const db = await open();
    const tx = db.transaction(store, "readwrite");
    for (const value of values) tx.objectStore(store).put(value);
    return done(tx);
  }

  async function remove(store, ...keys) {
    const db = await open();
    const tx = db.transaction(store, "readwrite");
    for (const key of keys) tx.objectStore(store).delete(key);
    return done(tx);
  }

  async function clear(...stores) {
    const db = await open();
    const tx = db.transaction(stores.length ? stores : STORES, "readwrite");
    for (const store of stores.length ? stores : STORES) tx.objectStore(store).clear();
    return done(tx);
  }

  async function byEntry(entryId) {
    const db = await open();
    return result(db.transaction("outbox").objectStore("outbox").index("entry").getAll(entryId));
  }

  root.GNStore = { open, get, all, count, put, remove, clear, byEntry };
})(typeof self !== "undefined" ? self : this);
