#!/usr/bin/env bash
# Build the single-user image of deploy/config.yaml with repo2docker from the STUDENT EDITION
# of this repository at GIT_REF (tools/edition.py: no teacher guide, no tests, no model answers),
# so a student with a terminal finds no answer in the image either.
#
#   deploy/build-image.sh [--push] [--dry-run] [GIT_REF]
#
# * The environment is Binder's: environment.yml (Python and pip from conda-forge, then exactly
#   requirements/runtime.lock with pip) and postBuild (the package, editable).
# * The edition goes to /srv/repo, not the home folder: Zero to JupyterHub mounts each
#   student's persistent volume on /home/jovyan, which would hide the files (and the editable
#   package) under it.
# * nbgitpuller, at the version the class hub test ran (requirements/dev.lock), is added at the
#   end, so teachers' git-pull links work in the image.
# * --dry-run prints the Dockerfile repo2docker would build (no Docker needed; the test uses it).
# The image is tagged IMAGE:GIT_REF (default: the current commit) and IMAGE:main.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-ghcr.io/cambodia-russia-notebooks/cambodia-russia-notebooks}"
TARGET_REPO_DIR=/srv/repo
push=() dry=()
ref=""
for arg in "$@"; do
  case "$arg" in
    --push) push=(--push) ;;
    --dry-run) dry=(--no-build --debug) ;;
    -*) echo "build-image: unknown option $arg" >&2; exit 2 ;;
    *) ref="$arg" ;;
  esac
done
ref="${ref:-$(git rev-parse --short HEAD)}"

nbgitpuller_pin="$(grep -E '^nbgitpuller==' requirements/dev.lock)" || {
  echo "build-image: requirements/dev.lock pins no nbgitpuller" >&2; exit 1; }

if [ -z "${REPO2DOCKER:-}" ]; then
  if [ -x .venv/bin/repo2docker ]; then REPO2DOCKER=.venv/bin/repo2docker; else REPO2DOCKER=repo2docker; fi
fi
# The edition of the committed tree at $ref (not of uncommitted edits), written to a
# temporary folder that is removed afterwards.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git archive --format=tar "$ref" | tar -x -C "$work" --one-top-level=source
"${PYTHON:-python3}" "$work/source/tools/edition.py" --out "$work/student-edition" >&2
"$REPO2DOCKER" "${dry[@]}" --no-run "${push[@]}" \
  --image-name "$IMAGE:$ref" \
  --target-repo-dir "$TARGET_REPO_DIR" \
  --appendix "RUN python -m pip install --no-cache-dir $nbgitpuller_pin" \
  "$work/student-edition"
if [ ${#dry[@]} -eq 0 ]; then
  docker tag "$IMAGE:$ref" "$IMAGE:main"
  if [ ${#push[@]} -gt 0 ]; then docker push "$IMAGE:main"; fi
  echo "build-image: built $IMAGE:$ref and $IMAGE:main"
fi
