#!/usr/bin/env bash
# Install bubblewrap on a GitHub runner (ci.yml, classroom.yml): the grader runs the katas inside it.
set -euo pipefail
sudo apt-get update -q
sudo apt-get install -y -q bubblewrap
# Ubuntu 24.04 (ubuntu-latest) lets AppArmor refuse unprivileged user namespaces
# (kernel.apparmor_restrict_unprivileged_userns=1), and bwrap then stops with
# "setting up uid map: Permission denied". The runner is a throwaway VM: lift the restriction.
if [ -e /proc/sys/kernel/apparmor_restrict_unprivileged_userns ]; then
  sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0
fi
bwrap --ro-bind / / true
echo "bubblewrap $(bwrap --version) runs"
