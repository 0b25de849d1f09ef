#!/bin/sh
# /srv/cube/nightly.sh — crontab:  30 2 * * *  /srv/cube/nightly.sh
#
# Each run that finds changes writes them to a report of its own, changes/DAY_HHMMSS.xlsx; a
# run that finds none writes no report. Nothing here deletes or replaces a report, so a second
# run on the same day (by hand, or after a failure) never costs the first one's report.
# The script ends with cube's exit code when cube fails (one line on stderr says why):
# 24-27 and 31 mean "try again later", 20 and 21 the credentials or the access, 2 the
# command line, 30 a local file (see `cube --help`); otherwise 0.
cd /srv/cube || exit 30
umask 077                                         # reports and state for this user only
export CUBE_ACCOUNT=acme                          # https://acme.headshed.com
export CUBE_TOKEN="$(cat /srv/cube/token)"        # from a file only this user can read
mkdir -p changes
report="changes/$(date +%F_%H%M%S).xlsx"          # one report per run
npx --no-install cube sync --data-owner 12 --crm B2C \
  --state crm-12.state -o "$report" --no-clobber --quiet
code=$?
case $code in
  0)  ;;                                          # nothing changed: no report written
  10) echo "changes in /srv/cube/$report" ;;      # cron mails this line
  *)  exit $code ;;                               # passed on: cube said what to do
esac
