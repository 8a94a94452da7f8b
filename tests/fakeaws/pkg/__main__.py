"""fakeaws --port PORT --account demo|FILE [--functions N --regions K --seed S]
[--latency-ms MS] [--quotas aws|off] [--state-in F] [--state-out F]
[--faults FILE] [--verbose]

Prints `ready http://127.0.0.1:PORT` once listening; SIGTERM stops it."""
import argparse
import os
import signal
import sys
import threading


def _bootstrap():
    """Run as a script (`python3 -I tests/fakeaws/fakeaws`, i.e. this
    package's directory, whatever it is named): load this directory as the
    package "fakeaws" and run its main()."""
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]      # do not import the package's modules as top-level ones
    spec = importlib.util.spec_from_file_location(
        "fakeaws", os.path.join(here, "__init__.py"), submodule_search_locations=[here])
    pkg = importlib.util.module_from_spec(spec)
    sys.modules["fakeaws"] = pkg
    spec.loader.exec_module(pkg)
    from fakeaws.__main__ import main as package_main
    return package_main()


def parse_args(argv):
    p = argparse.ArgumentParser(prog="fakeaws", description="A simulated AWS account "
                                "served from botocore's models, on a loopback port.")
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (loopback only)")
    p.add_argument("--account", default="demo",
                   help="'demo', 'generated', or a FILE describing the account(s)")
    p.add_argument("--functions", type=int, default=None, help="generated: number of functions")
    p.add_argument("--regions", type=int, default=None, help="generated: number of regions")
    p.add_argument("--seed", type=int, default=None, help="generated: random seed")
    p.add_argument("--latency-ms", type=float, default=0.0,
                   help="added latency per AWS request, in milliseconds")
    p.add_argument("--quotas", choices=("aws", "off"), default="off",
                   help="'aws': per-operation token buckets modelled on AWS's rate quotas")
    p.add_argument("--state-in", default=None, help="load the state from F instead of --account")
    p.add_argument("--state-out", default=None,
                   help="save the state to F on SIGTERM (and for POST /_fakeaws/save)")
    p.add_argument("--faults", default=None, help="JSON file of fault rules to start with")
    p.add_argument("--verbose", action="store_true", help="log each request to stderr")
    return p.parse_args(argv)


def build(args):
    from . import keys, model, quotas, faults, services, server
    from . import state
    services.load_all()
    model.preload()
    if args.state_in:
        world = state.World.load(args.state_in)
    else:
        spec = args.account
        if (args.functions is not None or args.regions is not None) and spec == "demo" \
                and not os.path.exists(spec):
            spec = "generated"
        world = state.build_world(spec, functions=args.functions, regions=args.regions,
                                  seed=args.seed)
    seed_world = server._copy_world(world)
    ks = keys.KeyStore()
    ks.load_world(world)
    fl = faults.Faults()
    if args.faults:
        fl.load_file(args.faults)
    app = server.App(world, ks, quotas.Quotas(args.quotas), fl, args.latency_ms,
                     args.state_out, seed_world, args.verbose)
    return app


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from . import server
    try:
        app = build(args)
        srv = server.make_server(app, args.host, args.port)
    except (OSError, ValueError, KeyError, SyntaxError) as e:
        sys.stderr.write("fakeaws: cannot start: %s: %s\n" % (type(e).__name__, e))
        return 2
    stopping = threading.Event()

    def on_signal(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.stdout.write("ready %s\n" % app.base_url)
    sys.stdout.flush()
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        if args.state_out:
            app.world.save(args.state_out)
    return 0


if __name__ == "__main__":
    sys.exit(main() if __package__ else _bootstrap())
