"""dttshub"""
