"""C++ code generation for .proto files with the system's protoc and
grpc_cpp_plugin (Debian's protobuf-compiler and protobuf-compiler-grpc)."""

def cc_grpc_library(name, srcs, system_root = None, grpc = True, deps = [], **kwargs):
    """Generates and compiles the C++ messages and gRPC stubs of `srcs`.

    Args:
      name: the cc_library target.
      srcs: .proto files: paths relative to this package, which is also the
        root of their import statements, or, with `system_root`, absolute
        paths of system protos under it.
      system_root: the import root of system protos (such as
        /usr/share/grpc-proto), or None for this package's own protos.
      grpc: whether to generate gRPC service stubs too.
      deps: other cc_grpc_library targets whose protos these import.
      **kwargs: passed to the cc_library.
    """
    outs = []
    for src in srcs:
        base = src[len(system_root) + 1:] if system_root else src
        base = base[:-len(".proto")]
        outs += [base + ".pb.h", base + ".pb.cc"]
        if grpc:
            outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]

    root = system_root or native.package_name()
    paths = " ".join(srcs if system_root else ["%s/%s" % (root, s) for s in srcs])
    grpc_flags = ""
    if grpc:
        grpc_flags = ("--grpc_out=$(@D) " +
                      "--plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin)")
    native.genrule(
        name = name + "_gen",
        srcs = [] if system_root else srcs,
        outs = outs,
        cmd = "protoc -I%s -I/usr/share/grpc-proto -I/usr/include " % root +
              "--cpp_out=$(@D) %s %s" % (grpc_flags, paths),
    )

    native.cc_library(
        name = name,
        srcs = [out for out in outs if out.endswith(".cc")],
        hdrs = [out for out in outs if out.endswith(".h")],
        includes = ["."],
        deps = deps + [
            "//third_party:grpc++",
            "//third_party:protobuf",
        ],
        **kwargs
    )
