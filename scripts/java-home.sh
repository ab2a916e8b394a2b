# Sourced by the launcher, the test runner and CI: points JAVA_HOME at a JDK 25.
# Order: an existing JAVA_HOME that is 25, Temurin 25 under /usr/lib/jvm, any other 25 there.
leasehold_find_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -1 | grep -q '"25'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! JAVA_HOME=$(leasehold_find_jdk25); then
  echo "Leasehold needs a JDK 25: set JAVA_HOME to one, or install it under /usr/lib/jvm (e.g. Temurin 25)." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
