export {};
export * from \x27./db/index.js\x27;
