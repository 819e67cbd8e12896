# Cleans up after a demo whose JVM ended without doing so itself (SIGKILL, out of memory, a crash).
# The demo writes one line per event on this script's standard input:
#   pid N      a process it started      gone N   that process has exited
#   dir PATH   a directory to remove     done     the demo has cleaned up itself; nothing to do
# End of input without "done" means the JVM is gone: stop what it started, then remove its directories.

# Ctrl-C and a closing terminal signal the whole process group; the JVM's own end decides what happens here.
trap '' INT TERM HUP QUIT

declare -A pids=()
dirs=()
while read -r word arg; do
  case "$word" in
    pid) pids[$arg]=1 ;;
    gone) unset "pids[$arg]" ;;
    dir) dirs+=("$arg") ;;
    done) exit 0 ;;
  esac
done

# Signals every PID in "$2..." with $1, then waits up to 5 s for them to exit; prints those still alive.
signal_and_wait() {
  local signal="$1" pid
  shift
  [ $# -eq 0 ] && return
  kill "-$signal" "$@" 2>/dev/null
  for _ in $(seq 50); do
    local alive=()
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && return
    sleep 0.1
  done
  echo "${alive[@]}"
}

# Agents first (a stopping agent stops its PostgreSQL), then any PostgreSQL they left (immediate shutdown).
left=$(signal_and_wait TERM "${!pids[@]}")
[ -n "$left" ] && signal_and_wait KILL $left >/dev/null
postmasters=()
for dir in "${dirs[@]}"; do
  for pidfile in "$dir"/*/data/postmaster.pid; do
    [ -f "$pidfile" ] && postmasters+=("$(head -n 1 "$pidfile")")
  done
done
left=$(signal_and_wait QUIT "${postmasters[@]}")
[ -n "$left" ] && signal_and_wait KILL $left >/dev/null
rm -rf "${dirs[@]}"
