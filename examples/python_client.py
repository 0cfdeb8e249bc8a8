#!/usr/bin/python3
"""Calls the Greeter as a signet account with Google's own Python libraries:
google-auth signs a JWT from the signet key file on every call, grpcio
carries it. Nothing signet-specific runs on this side.

  /usr/bin/python3 examples/python_client.py --target=localhost:7444 \\
      --ca=cert.pem --key_file=robot.json [--audience=AUDIENCE] [--name=NAME]

greeter_pb2 (bazel build //examples:greeter_py_pb2) must be importable: it
sits beside this script in Bazel's runfiles; from a source tree, set
PYTHONPATH=bazel-bin/examples.

The exit code is the gRPC status code of the call (0 for OK, 16
UNAUTHENTICATED, ...); 2 also for bad arguments.
"""

import argparse
import base64
import json
import sys

import google.auth.jwt
import google.auth.transport.grpc
import grpc

import greeter_pb2

SERVICE = '/signet.examples.Greeter/'


class _OneByteSigner(object):
    key_id = None

    def sign(self, message):
        return b'\0'


def google_auth_pads_tokens():
    """Whether this google-auth pads each base64url segment of its tokens
    with '=', as releases before 1.6.3 do (Debian 12 ships 1.5.1). RFC 7515
    leaves padding out, and signet's verifier refuses padded tokens unless
    the server opts in (greeter_server --accept_padded_tokens): with
    padding, one token has two spellings."""
    return b'=' in google.auth.jwt.encode(_OneByteSigner(), {})


def encode_unpadded(signer, payload, header=None, key_id=None):
    """google.auth.jwt.encode as google-auth 1.6.3 and later encode: the same
    header and claims, signed by the same signer, without padding."""
    header = dict(header or {})
    if key_id is None:
        key_id = signer.key_id
    header.update({'typ': 'JWT', 'alg': 'RS256'})
    if key_id is not None:
        header['kid'] = key_id

    def segment(data):
        return base64.urlsafe_b64encode(data).rstrip(b'=')

    signing_input = b'.'.join([segment(json.dumps(header).encode('utf-8')),
                               segment(json.dumps(payload).encode('utf-8'))])
    return signing_input + b'.' + segment(signer.sign(signing_input))


def parse_args():
    parser = argparse.ArgumentParser(
        description='Calls the Greeter with google-auth JWT credentials.')
    parser.add_argument('--target', required=True,
                        help='host:port (TLS) or unix:/path (local '
                        'credentials)')
    parser.add_argument('--key_file', required=True,
                        help="the calling account's signet key file (RS256: "
                        'google-auth signs with RSA keys only)')
    parser.add_argument('--ca', default='',
                        help="PEM CA certificates to check the server's "
                        "certificate against; the system's roots by default")
    parser.add_argument('--server_name', default='',
                        help="the name to check in the server's certificate")
    parser.add_argument('--audience', default='',
                        help='the audience of the tokens; default '
                        'https://<target>/, what gRPC C++ clients send')
    parser.add_argument('--on_demand', action='store_true',
                        help="use google-auth's OnDemandCredentials, whose "
                        'audience is the service URL, '
                        'https://<target>/signet.examples.Greeter')
    parser.add_argument('--keep_padding', action='store_true',
                        help="send google-auth's tokens exactly as it "
                        'encodes them, padding included; only a server '
                        'that accepts padded tokens lets them in')
    parser.add_argument('--name', default='world', help='who to greet')
    parser.add_argument('--method', default='SayHello',
                        choices=['SayHello', 'SayHelloOpenly'])
    parser.add_argument('--timeout', type=float, default=10.0,
                        help='deadline of the call, in seconds')
    return parser.parse_args()


def make_credentials(args):
    if args.on_demand:
        return google.auth.jwt.OnDemandCredentials.from_service_account_file(
            args.key_file)
    audience = args.audience
    if not audience:
        authority = ('localhost' if args.target.startswith('unix:')
                     else args.target)
        audience = 'https://%s/' % authority
    return google.auth.jwt.Credentials.from_service_account_file(
        args.key_file, audience=audience)


def check_signer(credentials):
    """Signs once, so that a key google-auth cannot use fails here with a
    clear message instead of inside gRPC's metadata plugin."""
    try:
        credentials.signer.sign(b'check')
    except Exception:  # Whatever the crypto backend raises for a non-RSA key.
        raise ValueError('google-auth signs with RSA keys only: give it a key '
                         'file of an RS256 key')


def make_channel(args, credentials):
    call_credentials = grpc.metadata_call_credentials(
        google.auth.transport.grpc.AuthMetadataPlugin(credentials, None))
    if args.target.startswith('unix:'):
        transport = grpc.local_channel_credentials(grpc.LocalConnectionType.UDS)
    else:
        root_certificates = None
        if args.ca:
            with open(args.ca, 'rb') as ca:
                root_certificates = ca.read()
        transport = grpc.ssl_channel_credentials(root_certificates)
    options = []
    if args.server_name:
        options.append(('grpc.ssl_target_name_override', args.server_name))
    return grpc.secure_channel(
        args.target,
        grpc.composite_channel_credentials(transport, call_credentials),
        options=options)


def main():
    args = parse_args()
    if google_auth_pads_tokens() and not args.keep_padding:
        print('python_client: this google-auth pads token segments, which '
              'signet refuses by default; encoding them without padding',
              file=sys.stderr)
        google.auth.jwt.encode = encode_unpadded

    try:
        credentials = make_credentials(args)
        check_signer(credentials)
        channel = make_channel(args, credentials)
    except (OSError, ValueError, KeyError) as error:
        print('python_client: %s' % error, file=sys.stderr)
        return 2
    say_hello = channel.unary_unary(
        SERVICE + args.method,
        request_serializer=greeter_pb2.HelloRequest.SerializeToString,
        response_deserializer=greeter_pb2.HelloReply.FromString)
    try:
        reply = say_hello(greeter_pb2.HelloRequest(name=args.name),
                          timeout=args.timeout)
    except grpc.RpcError as error:
        print('python_client: %s failed: %s: %s' %
              (args.method, error.code().name, error.details()),
              file=sys.stderr)
        return error.code().value[0]
    finally:
        channel.close()
    print(reply.message)
    return 0


if __name__ == '__main__':
    sys.exit(main())
