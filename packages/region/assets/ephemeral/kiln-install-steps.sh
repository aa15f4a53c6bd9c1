# shellcheck shell=sh
# The steps of kiln-install, sourced by it: they use its cfg/run/fail/report helpers and the
# variables CFG, WORK, LOG, CMDLOG, TARGET, MOUNTS. Loops read their records on fd 3 so that the
# commands inside keep the real stdin, and never run in a pipeline, so that `fail` exits the
# installer rather than a subshell.

records() { # KEY: every record KEY into $WORK/records.KEY, returns its path
  grep "^$1 " "$CFG" >"$WORK/records.$1"
  printf '%s' "$WORK/records.$1"
}

# decompress: stdin → stdout for $IMG_FORMAT; its status goes to rc.decomp (no pipefail).
decompress() {
  case $IMG_FORMAT in
    tgz | dd-gz | dd-tgz) gzip -dc ;;
    tbz | dd-bz2 | dd-tbz) bzip2 -dc ;;
    txz | dd-xz | dd-txz) xz -dc ;;
    *) cat ;;
  esac
  echo $? >"$WORK/rc.decomp"
}

# fetch_verified CONSUMER: streams the image into CONSUMER (a function reading stdin) while
# sha256sum reads the same bytes through a FIFO; every exit status is kept in a file because
# POSIX sh has no pipefail.
fetch_verified() {
  _fifo=$WORK/sha.fifo
  rm -f "$_fifo" "$WORK"/rc.*
  mkfifo "$_fifo" || fail "mkfifo failed"
  sha256sum <"$_fifo" >"$WORK/sha.out" &
  _shapid=$!
  printf '$ GET %s | %s\n' "$IMG_URL" "$1" >>"$LOG"
  { kiln_http_get "$IMG_URL" - 2>"$WORK/fetch.err"; echo $? >"$WORK/rc.fetch"; } |
    tee "$_fifo" | { "$1" >"$CMDLOG" 2>&1; echo $? >"$WORK/rc.consume"; }
  wait "$_shapid"
  cat "$WORK/fetch.err" >>"$CMDLOG"
  cat "$CMDLOG" >>"$LOG"
  [ "$(cat "$WORK/rc.fetch")" = 0 ] || fail "download of $IMG_URL failed"
  _got=$(cut -d' ' -f1 "$WORK/sha.out")
  [ "$_got" = "$IMG_SHA" ] || {
    echo "sha256 mismatch: expected $IMG_SHA, got $_got" >>"$CMDLOG"
    fail "image sha256 mismatch: expected $IMG_SHA, got $_got"
  }
  [ -f "$WORK/rc.decomp" ] && [ "$(cat "$WORK/rc.decomp")" != 0 ] && fail "decompressing the $IMG_FORMAT image failed"
  [ "$(cat "$WORK/rc.consume")" = 0 ] || fail "unpacking the $IMG_FORMAT image failed"
}

consume_tar() {
  _tarflags=
  tar --version 2>/dev/null | grep -q GNU && _tarflags='--numeric-owner --xattrs --xattrs-include=*'
  # shellcheck disable=SC2086 # $_tarflags is a word list
  decompress | tar -x -p $_tarflags -f - -C "$TARGET"
}
consume_file() { cat >"$TARGET/.kiln-image"; }
consume_disk() {
  case $IMG_FORMAT in
    dd-tgz | dd-tbz | dd-txz) decompress | tar -xOf - | dd of="$DISK" bs=4M conv=fsync ;;
    *) decompress | dd of="$DISK" bs=4M conv=fsync ;;
  esac
}

extract_image() {
  case $IMG_FORMAT in
    squashfs)
      # unsquashfs needs a seekable file: keep it on the target disk, not in RAM.
      fetch_verified consume_file
      run unsquashfs -f -no-progress -d "$TARGET" "$TARGET/.kiln-image"
      rm -f "$TARGET/.kiln-image"
      ;;
    tgz | tbz | txz) fetch_verified consume_tar ;;
    *) fail "unsupported image format $IMG_FORMAT" ;;
  esac
}

write_disk_image() {
  release_disk
  run wipefs -a "$DISK"
  fetch_verified consume_disk
  partx -u "$DISK" >>"$LOG" 2>&1
}

write_files() {
  while read -r _k _mode _path _content <&3; do
    case $_path in /*) ;; *) fail "file path $_path is not absolute" ;; esac
    case $_path in *..*) fail "file path $_path escapes the target" ;; esac
    mkdir -p "$TARGET$(dirname "$_path")" || fail "cannot create the folder of $_path"
    printf '%s' "$_content" | base64 -d >"$TARGET$_path.partial" || fail "cannot decode $_path"
    chmod "$_mode" "$TARGET$_path.partial" || fail "cannot chmod $_path"
    mv "$TARGET$_path.partial" "$TARGET$_path" || fail "cannot write $_path"
    printf 'wrote %s (%s)\n' "$_path" "$_mode" >>"$LOG"
  done 3<"$(records file)"
}

bind_target() {
  [ -n "${BOUND:-}" ] && return
  for _d in dev proc sys; do
    mkdir -p "$TARGET/$_d"
    run mount --bind "/$_d" "$TARGET/$_d"
    printf '%s\n' "$TARGET/$_d" >>"$MOUNTS"
  done
  BOUND=yes
}

mount_esp() {
  _ref=$(awk '$3 == "vfat" && $4 != "-" { print $2; exit }' "$(records fs)")
  [ -n "$_ref" ] || fail "UEFI install without an EFI system partition"
  _dev=$(dev_of "$_ref")
  # Whatever the image shipped under /boot/efi belongs on the ESP, which now hides that folder.
  mkdir -p "$WORK/esp" "$TARGET/boot/efi"
  run mount -t vfat "$_dev" "$WORK/esp"
  run cp -a "$TARGET/boot/efi/." "$WORK/esp/"
  run umount "$WORK/esp"
  run mount -t vfat "$_dev" "$TARGET/boot/efi"
  printf '%s\n' "$TARGET/boot/efi" >>"$MOUNTS"
}

install_bootloader() {
  if [ "$(cfg bootloader)" != yes ]; then
    stage_done "bootloader installation disabled by the install config"
    return
  fi
  if [ ! -x "$TARGET/usr/sbin/grub-install" ] && [ ! -x "$TARGET/sbin/grub-install" ]; then
    stage_done "the image has no grub-install; no bootloader installed" WARN
    return
  fi
  bind_target
  if [ "$(cfg firmware)" = uefi ]; then
    mount_esp
    case $(uname -m) in aarch64) _efi=arm64-efi ;; *) _efi=x86_64-efi ;; esac
    # --removable: the firmware finds EFI/BOOT/BOOT*.EFI without an NVRAM entry.
    run chroot "$TARGET" grub-install --target="$_efi" --efi-directory=/boot/efi --removable --no-nvram
  else
    run chroot "$TARGET" grub-install --target=i386-pc "$DISK"
  fi
  if [ -x "$TARGET/usr/sbin/update-grub" ]; then
    run chroot "$TARGET" update-grub
  else
    run chroot "$TARGET" grub-mkconfig -o /boot/grub/grub.cfg
  fi
  stage_done "grub installed for $(cfg firmware)"
}

run_commands() { # early_command | late_command
  while read -r _k _name _b64 <&3; do
    printf '%s' "$_b64" | base64 -d >"$WORK/command.sh" || fail "cannot decode $1 $_name"
    printf '# %s %s\n' "$1" "$_name" >>"$LOG"
    [ "$1" = late_command ] && [ -d "$TARGET/etc" ] && bind_target
    sh "$WORK/command.sh" >"$CMDLOG" 2>&1
    _rc=$?
    cat "$CMDLOG" >>"$LOG"
    [ "$_rc" -eq 0 ] || fail "$1 $_name exited with status $_rc"
  done 3<"$(records "$1")"
}
