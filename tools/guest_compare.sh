# Busybox commands the suite's "uml-compare" check runs natively and inside
# the guest (busybox sh guest_compare.sh): every "cmp" line must be the same
# in both.  Only what is the same by design belongs here (not uname,
# hostname, free, ps, ulimit -u: the guest is another machine).
B=/bin/busybox
cd /tmp; $B rm -rf cmpt; $B mkdir -p cmpt/a/b; cd cmpt
echo "cmp 1 pwd: $($B pwd)"; $B ln -s a/b lnk; cd lnk; echo "cmp 2 pwd: $($B pwd) $($B pwd -P)"; cd /tmp/cmpt
echo "cmp 3 links: $($B readlink lnk) $($B readlink -f lnk) $($B realpath lnk)"
echo hello > f; $B cp f g; $B mv g h; echo "cmp 4 ls: $($B ls | $B xargs)"
echo "cmp 5 sums: $($B wc -c f) $($B md5sum f) $($B sha1sum f)"
echo "cmp 6 dd: $($B dd if=/dev/zero bs=1024 count=64 2>/dev/null | $B wc -c)"
echo "cmp 7 seq: $($B seq 1 5 | $B tr '\n' ' ') $($B expr 6 \* 7)"
echo "cmp 8 sort: $(printf 'b\na\nc\n' | $B sort | $B xargs)"
echo "cmp 9 id: $($B id) umask $(umask) files $(ulimit -n) stack $(ulimit -s)"
$B sleep 0.1 & wait $!; echo "cmp 10 wait: $?"
( exit 3 ); echo "cmp 11 status: $? $($B false; echo $?)"
$B sh -c 'kill -TERM $$'; echo "cmp 12 killed: $?"
echo "cmp 13 stat: $($B stat -c '%s %F %a' f) $($B stat -c '%F' lnk) $($B stat -L -c '%F' lnk)"
echo "cmp 14 ls -l: $($B ls -l f | $B cut -c1-10)"
echo "cmp 15 find: $($B find . | $B sort | $B xargs)"
echo "cmp 16 test: $([ -d lnk ] && echo d) $([ -L lnk ] && echo L) $([ -e nope ] || echo noe)"
echo abc | $B tee t1 >/dev/null; echo "cmp 17 tee: $($B cat t1) $(echo abc | $B head -c 2)"
echo "cmp 18 sed/awk: $(echo a-b | $B sed s/-/+/) $(echo 1 2 | $B awk '{print $1+$2}')"
echo "cmp 19 env: $($B env -i A=1 $B env) $($B printf '%05d %x' 42 255)"
echo "cmp 21 cd -P ..: $(cd -P /tmp/cmpt/lnk/..; $B pwd)"
echo "cmp 22 pipe: $($B seq 1 20000 | $B wc -l)"
echo "cmp 23 du: $($B du -k f | $B cut -f1)"
cd /; $B rm -rf /tmp/cmpt; echo "cmp 24 rm: $? $($B ls /tmp/cmpt 2>&1 | $B wc -l)"
