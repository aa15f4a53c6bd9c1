/** Wire constants from RFC 1350 (opcodes, error codes) and RFC 2347–2349 / 7440 (option limits). */

export const Opcode = {
  RRQ: 1,
  WRQ: 2,
  DATA: 3,
  ACK: 4,
  ERROR: 5,
  OACK: 6,
} as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

export const TftpErrorCode = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  /** RFC 2347: the client refuses the options the server acknowledged. */
  OPTION_REFUSED: 8,
} as const;
export type TftpErrorCode = (typeof TftpErrorCode)[keyof typeof TftpErrorCode];

export const DEFAULT_BLOCK_SIZE = 512;
export const MIN_BLOCK_SIZE = 8;
export const MAX_BLOCK_SIZE = 65464;
export const MIN_TIMEOUT_S = 1;
export const MAX_TIMEOUT_S = 255;
export const MIN_WINDOW_SIZE = 1;
export const MAX_WINDOW_SIZE = 65535;
/** Block numbers are 16-bit on the wire; transfers longer than this roll over to 0. */
export const BLOCK_MODULO = 0x10000;
/** Opcode + block number in front of every DATA payload. */
export const DATA_HEADER_BYTES = 4;
/** IPv4 (20) + UDP (8) + TFTP DATA header (4): what a path MTU must leave room for. */
export const IPV4_OVERHEAD_BYTES = 32;
/** IPv6 (40) + UDP (8) + TFTP DATA header (4). */
export const IPV6_OVERHEAD_BYTES = 52;
