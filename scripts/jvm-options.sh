# Sourced by the launchers (./leasehold, and bin/leasehold of the package and the tarball).
# leasehold_server_jvm_options DIR: prints the JVM options of `leasehold serve`, from DIR's option files:
#   LEASEHOLD_JVM_OPTS      the options themselves, replacing any profile
#   LEASEHOLD_JVM_PROFILE   small (default: server-jvm-options-small) or busy (server-jvm-options)
leasehold_server_jvm_options() {
  local dir=$1 file
  if [ -n "${LEASEHOLD_JVM_OPTS:-}" ]; then
    echo "$LEASEHOLD_JVM_OPTS"
    return 0
  fi
  case "${LEASEHOLD_JVM_PROFILE:-small}" in
    small) file="$dir/server-jvm-options-small" ;;
    busy) file="$dir/server-jvm-options" ;;
    *) echo "LEASEHOLD_JVM_PROFILE is '$LEASEHOLD_JVM_PROFILE': it must be small or busy" >&2; return 2 ;;
  esac
  grep -v '^#' "$file" | tr '\n' ' '
}
