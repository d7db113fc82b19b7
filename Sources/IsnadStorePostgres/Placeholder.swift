import PostgresNIO
import IsnadStore
