# shellcheck shell=sh
# Disk steps of kiln-install, sourced by it: find the disk, partition (GPT via sfdisk, LVM), make
# file systems, mount them, write fstab. They use kiln-install's cfg/run/fail helpers and the
# variables CFG, WORK, LOG, TARGET, MOUNTS; `records` is in kiln-install-steps.sh. Loops read
# their records on fd 3 so the commands inside keep the real stdin, and never run in a pipeline,
# so that `fail` exits the installer rather than a subshell.

GUID_ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
GUID_BIOS_GRUB=21686148-6449-6E6F-744E-656564454649
GUID_LVM=E6D6D379-F507-44C2-A23C-238F2A3DF928
GUID_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4

find_disk() {
  # shellcheck disable=SC2046
  set -- $(cfg disk)
  DISK=$1
  if [ "$2" != - ]; then
    _by_serial=$(lsblk -dnpo NAME,SERIAL 2>/dev/null | awk -v s="$2" '$2 == s { print $1; exit }')
    [ -n "$_by_serial" ] && DISK=$_by_serial
  fi
  DISK=$(readlink -f "$DISK")
  [ -b "$DISK" ] || fail "install disk $1 (serial $2) not found"
  export TARGET_MOUNT_POINT="$TARGET"
  run_commands early_command
}

part_dev() { # N: the device node of partition N of $DISK
  _d=${DISK##*/}
  for _p in /sys/class/block/"$_d"/"$_d"*; do
    if [ -r "$_p/partition" ] && [ "$(cat "$_p/partition")" = "$1" ]; then
      printf '/dev/%s' "${_p##*/}"
      return
    fi
  done
  case $_d in
    *[0-9]) printf '%sp%s' "$DISK" "$1" ;;
    *) printf '%s%s' "$DISK" "$1" ;;
  esac
}

dev_of() { # REF: part:N or lv:VG/LV
  case $1 in
    part:*) part_dev "${1#part:}" ;;
    lv:*) printf '/dev/%s' "${1#lv:}" ;;
  esac
}

# The kernel may not re-read the table itself (busy disk, loop device, no partition parser):
# partx tells it about each partition, then we wait for the device nodes.
refresh_partitions() {
  partx -u "$DISK" >>"$LOG" 2>&1 || partx -a "$DISK" >>"$LOG" 2>&1
  command -v udevadm >/dev/null 2>&1 && udevadm settle >/dev/null 2>&1
  while read -r _k _n _rest <&3; do
    _i=0
    while [ ! -b "$(part_dev "$_n")" ]; do
      _i=$((_i + 1))
      [ "$_i" -gt 50 ] && fail "partition $_n of $DISK did not appear"
      sleep 0.2
    done
  done 3<"$(records partition)"
}

# A redeployed disk may still carry swap or an LVM volume group that the ephemeral system
# activated at boot: both keep partitions busy, so the new table could not be read back.
release_disk() {
  lsblk -lnpo NAME,MOUNTPOINT "$DISK" >"$WORK/lsblk" 2>>"$LOG"
  if awk 'NF > 1 { found = 1 } END { exit !found }' "$WORK/lsblk"; then
    cat "$WORK/lsblk" >"$CMDLOG"
    fail "$DISK has mounted file systems"
  fi
  while read -r _p _rest <&3; do
    grep -q "^$_p " /proc/swaps && swapoff "$_p" >>"$LOG" 2>&1
    command -v pvs >/dev/null 2>&1 || continue
    _old=$(pvs --noheadings -o vg_name "$_p" 2>/dev/null | tr -d ' ')
    [ -n "$_old" ] && vgchange -an "$_old" >>"$LOG" 2>&1
  done 3<"$WORK/lsblk"
}

partition_disk() {
  release_disk
  _script=$WORK/sfdisk.in
  echo 'label: gpt' >"$_script"
  while read -r _k _n _role _size <&3; do
    case $_role in
      esp) _type=$GUID_ESP ;;
      bios_grub) _type=$GUID_BIOS_GRUB ;;
      pv) _type=$GUID_LVM ;;
      *) _type=$GUID_LINUX ;;
    esac
    if [ "$_size" = rest ]; then
      printf 'type=%s, name=%s\n' "$_type" "$_role" >>"$_script"
    else
      printf 'size=%sMiB, type=%s, name=%s\n' "$_size" "$_type" "$_role" >>"$_script"
    fi
  done 3<"$(records partition)"
  cat "$_script" >>"$LOG"
  run wipefs -a "$DISK"
  run sfdisk --wipe always --wipe-partitions always "$DISK" <"$_script"
  refresh_partitions
  if grep -q "^vg " "$CFG"; then
    # shellcheck disable=SC2046
    set -- $(cfg vg)
    _pv=$(part_dev "$2")
    run pvcreate -ff -y "$_pv"
    run vgcreate "$1" "$_pv"
    # shellcheck disable=SC2034 # read by cleanup in kiln-install
    VG_ACTIVE=$1
    while read -r _k _lvvg _lv _size <&3; do
      if [ "$_size" = rest ]; then
        run lvcreate -y -W y -n "$_lv" -l 100%FREE "$_lvvg"
      else
        run lvcreate -y -W y -n "$_lv" -L "${_size}m" "$_lvvg"
      fi
    done 3<"$(records lv)"
  fi
}

make_filesystems() {
  if grep -q " $TARGET " /proc/mounts; then fail "$TARGET is already a mount point"; fi
  mkdir -p "$TARGET" || fail "cannot create $TARGET"
  while read -r _k _ref _type _mount _label <&3; do
    _dev=$(dev_of "$_ref")
    case $_type in
      vfat)
        _l=$(printf '%s' "$_label" | tr '[:lower:]' '[:upper:]' | cut -c1-11)
        [ "$_label" = - ] && _l=EFI
        run mkfs.vfat -F 32 -n "$_l" "$_dev"
        ;;
      ext4)
        if [ "$_label" = - ]; then run mkfs.ext4 -F -q "$_dev"; else run mkfs.ext4 -F -q -L "$_label" "$_dev"; fi
        ;;
      *) fail "unsupported file system type $_type" ;;
    esac
    # The ESP is mounted by the bootloader stage, the only one that writes to it.
    if [ "$_mount" != - ] && [ "$_type" != vfat ]; then
      mkdir -p "$TARGET$_mount"
      run mount "$_dev" "$TARGET$_mount"
      printf '%s\n' "$TARGET$_mount" >>"$MOUNTS"
    fi
  done 3<"$(records fs)"
  # Never unpack an image into the ephemeral system's own memory.
  grep -q " $TARGET " /proc/mounts || fail "no root file system is mounted at $TARGET"
}

write_fstab() {
  mkdir -p "$TARGET/etc"
  _fstab=$TARGET/etc/fstab.partial
  echo '# Written by kiln-install: file systems by UUID.' >"$_fstab"
  while read -r _k _ref _type _mount _label <&3; do
    [ "$_mount" = - ] && continue
    _dev=$(dev_of "$_ref")
    _uuid=$(blkid -c /dev/null -o value -s UUID "$_dev")
    [ -n "$_uuid" ] || fail "no UUID on $_dev"
    case $_type in
      vfat) _opts=umask=0077 _pass=1 ;;
      *) _opts=defaults _pass=2 ;;
    esac
    [ "$_mount" = / ] && _opts=errors=remount-ro _pass=1
    printf 'UUID=%s %s %s %s 0 %s\n' "$_uuid" "$_mount" "$_type" "$_opts" "$_pass" >>"$_fstab"
  done 3<"$(records fs)"
  mv "$_fstab" "$TARGET/etc/fstab" || fail "cannot write $TARGET/etc/fstab"
  cat "$TARGET/etc/fstab" >>"$LOG"
}
