// The relay's byte encoding lives in IsnadWire, shared with clients; embedders of the relay
// keep seeing it through `import IsnadRelay`.
@_exported import struct IsnadWire.Base64URL
